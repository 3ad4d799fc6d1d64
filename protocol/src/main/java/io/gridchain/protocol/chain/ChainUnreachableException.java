package io.gridchain.protocol.chain;

/** No JSON-RPC node answers at the configured URL. */
public class ChainUnreachableException extends RuntimeException {
    public ChainUnreachableException(String message) {
        super(message);
    }
}
