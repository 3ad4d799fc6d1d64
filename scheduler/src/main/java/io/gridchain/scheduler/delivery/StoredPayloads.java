package io.gridchain.scheduler.delivery;

import io.gridchain.scheduler.results.ResultStore;
import java.util.List;
import java.util.Optional;

/**
 * What a task's delivery sends: the bytes the pool's store keeps under the certified digest. A result sealed to the
 * beneficiary is kept as one copy per worker that committed to it, and the scheduler cannot tell which opens (it
 * never has the plaintext): the delivery sends the first copy in the store's order, the one {@code result get} opens
 * first; the others stay downloadable from the pool ({@code ?copy=N}). Empty while the store does not hold the
 * result yet.
 */
public final class StoredPayloads {
    private final ResultStore results;

    public StoredPayloads(ResultStore results) {
        this.results = results;
    }

    public Optional<Payload> of(TaskDelivery d) {
        // in the clear first: a sealed deal's certified failure is kept as a plain failure record
        Optional<byte[]> clear = results.get(d.digest());
        if (clear.isPresent()) {
            return Optional.of(new Payload(d.taskId(), d.index(), d.digest(),
                    d.callback() ? Payload.CALLBACK : Payload.ARCHIVE, clear.get()));
        }
        List<String> copies = results.sealedCopies(d.digest());
        if (copies.isEmpty()) return Optional.empty();
        return results.sealed(d.digest(), copies.get(0))
                .map(b -> new Payload(d.taskId(), d.index(), d.digest(), Payload.SEALED, b));
    }
}
