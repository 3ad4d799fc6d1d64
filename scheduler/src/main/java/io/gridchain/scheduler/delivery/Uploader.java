package io.gridchain.scheduler.delivery;

/** Puts one result at a target; an {@link UploadFailure} says why not, in one line. */
public interface Uploader extends AutoCloseable {
    void put(DeliveryTarget target, Payload payload) throws UploadFailure;

    @Override
    default void close() {}

    /**
     * The uploaders of each kind of target, each upload to an address {@code destinations} allows (checked again at
     * every attempt: a name that resolved to a public address when the target was named may not any more).
     */
    static Uploader standard(Destinations destinations) {
        S3Uploader s3 = new S3Uploader();
        HttpPutUploader http = new HttpPutUploader();
        return new Uploader() {
            @Override
            public void put(DeliveryTarget target, Payload payload) throws UploadFailure {
                try {
                    destinations.check(target);
                } catch (IllegalArgumentException e) {
                    throw new UploadFailure("PrivateAddress", 0, e.getMessage());
                }
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
