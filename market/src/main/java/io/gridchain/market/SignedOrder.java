package io.gridchain.market;

import io.gridchain.protocol.orders.Order;

/**
 * An order as published in the book: the order, its signature (0x hex; empty when presigned on-chain),
 * its EIP-712 struct hash, the address that signed it (asset owner or requester) and when it arrived (ms).
 */
public record SignedOrder(Order.Kind kind, Order order, String signature, String hash, String signer, long publishedAt) {}
