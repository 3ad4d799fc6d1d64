package io.gridchain.scheduler.delivery;

/** Puts one result at a target; an {@link UploadFailure} says why not, in one line. */
public interface Uploader extends AutoCloseable {
    void put(DeliveryTarget target, Payload payload) throws UploadFailure;

    @Override
    default void close() {}

    /** The uploaders of each kind of target. */
    static Uploader standard() {
        S3Uploader s3 = new S3Uploader();
        HttpPutUploader http = new HttpPutUploader();
        return new Uploader() {
            @Override
            public void put(DeliveryTarget target, Payload payload) throws UploadFailure {
                // Java 17 has no pattern switch: the interface is sealed to these two
                if (target instanceof S3Target t) s3.put(t, payload);
                else http.put((HttpPutTarget) target, payload);
            }

            @Override
            public void close() {
                s3.close();
            }
        };
    }
}
