package dev.eventbus.samples.inventory;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
class StockController {

    private final StockService stock;

    StockController(StockService stock) {
        this.stock = stock;
    }

    @GetMapping("/stock/{sku}")
    Stock find(@PathVariable String sku) {
        return this.stock.find(sku).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "Unknown sku " + sku));
    }

}
