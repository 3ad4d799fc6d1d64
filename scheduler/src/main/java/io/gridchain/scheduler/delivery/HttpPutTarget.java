package io.gridchain.scheduler.delivery;

import io.gridchain.api.Delivery;
import java.net.URI;

/**
 * An HTTP PUT of each certified result to {@code url}, where {@code {task}}, {@code {index}} and {@code {digest}}
 * become the task's id, its index in the deal and its certified digest; one of them must be there, else every task
 * would overwrite the same resource.
 */
public record HttpPutTarget(String url) implements DeliveryTarget {
    public HttpPutTarget {
        DeliveryTarget.httpUrl("the delivery URL", url);
        if (!url.contains("{task}") && !url.contains("{index}") && !url.contains("{digest}")) {
            throw new IllegalArgumentException("the delivery URL must hold {task}, {index} or {digest}, so each task "
                    + "has its own: e.g. https://host/results/{task}");
        }
    }

    static HttpPutTarget of(String url) {
        return new HttpPutTarget(url);
    }

    /** The URL of one task's result. */
    public URI resolve(String taskId, long index, String digest) {
        return URI.create(url.replace("{task}", taskId).replace("{index}", Long.toString(index))
                .replace("{digest}", digest));
    }

    @Override
    public String describe() {
        return DeliveryTarget.safe(url);
    }

    @Override
    public Delivery.Target wire() {
        return Delivery.Target.http(url);
    }

    @Override
    public String toString() {
        return describe();
    }
}
