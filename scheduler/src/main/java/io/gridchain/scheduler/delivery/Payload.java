package io.gridchain.scheduler.delivery;

/**
 * One result to deliver: the bytes the pool's store keeps under the certified digest, and the object's name:
 * {@code result.zip} (a result archive), {@code result.bin} (a callback deal's data), or {@code result.sealed} (a result
 * sealed to the beneficiary: the pool never has it in the clear).
 */
public record Payload(String taskId, long index, String digest, String name, byte[] bytes) {
    public static final String ARCHIVE = "result.zip";
    public static final String CALLBACK = "result.bin";
    public static final String SEALED = "result.sealed";

    public String contentType() {
        return ARCHIVE.equals(name) ? "application/zip" : "application/octet-stream";
    }
}
