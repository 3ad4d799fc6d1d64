package io.gridchain.protocol.errors;

/** A transaction or call the chain refused, with the decoded, human-readable reason. */
public class RevertException extends RuntimeException {
    private final String errorName;

    public RevertException(String errorName, String message) {
        super(message);
        this.errorName = errorName;
    }

    /** The Solidity custom error's name, e.g. "WorkerpoolPriceTooHigh", or "Error"/"Panic"/"Unknown". */
    public String errorName() {
        return errorName;
    }
}
