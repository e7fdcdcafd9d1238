package dev.eventbus.samples.order;

import java.util.UUID;

import org.springframework.data.repository.CrudRepository;

interface OrderRepository extends CrudRepository<Order, UUID> {

}
