package io.gridchain.worker;

import java.util.List;

/**
 * Sends items to the scheduler in one request; when the scheduler refuses the batch, sends each item alone so one
 * bad item does not take the others with it. Commits, failure reports and reveals all go through here.
 */
final class SplitOnRefusal {

    private SplitOnRefusal() {}

    /** One kind of batched request. */
    interface Request<T, R> {

        /** Sends the items in one request; throws if the scheduler could not be reached or refused it. */
        R send(List<T> items);

        /** The scheduler could not be reached: true if the items were kept to be sent again later. */
        boolean later(List<T> items, SchedulerException e);

        /** The item is given up: refused on its own, or unreachable scheduler and not kept. */
        void refused(T item, RuntimeException e);

        /** The scheduler has the items; runs outside the send's error handling. */
        void sent(List<T> items, R response);
    }

    static <T, R> void send(List<T> items, Request<T, R> request) {
        R response;
        try {
            response = request.send(items);
        } catch (RuntimeException e) {
            SchedulerException unreachable = e instanceof SchedulerException se && se.isTransient() ? se : null;
            if (unreachable != null && request.later(items, unreachable)) {
                return;
            }
            if (items.size() > 1 && unreachable == null) {
                for (T item : items) {
                    send(List.of(item), request);
                }
                return;
            }
            for (T item : items) {
                request.refused(item, e);
            }
            return;
        }
        request.sent(items, response);
    }
}
