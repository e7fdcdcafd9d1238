package dev.eventbus.samples.order;

class UnknownSkuException extends RuntimeException {

    UnknownSkuException(String sku) {
        super("Unknown sku " + sku);
    }

}
