package io.gridchain.explorer.index;

/** A transaction that emitted an indexed event: the gas it burnt and its block's time (seconds), for the charts. */
public record TxRow(String tx, long block, long gasUsed, long time) {}
