package io.gridchain.scheduler.api;

/**
 * What one client may cost the scheduler's HTTP API, so no one exhausts its memory or disk.
 *
 * @param maxRequestBytes   the largest JSON body of a worker request
 * @param maxUploadBytes    the largest result upload
 * @param maxSessions       open sessions in all (one per worker at most)
 * @param newWorkersPerIp   addresses one IP may register for the first time in a quota window
 * @param registrationsPerWorker registrations of one address in a quota window (a worker registers again after a
 *                          restart of either side, not in a loop)
 * @param quotaWindowMillis the quota window
 */
public record HttpLimits(long maxRequestBytes, long maxUploadBytes, int maxSessions, int newWorkersPerIp,
        int registrationsPerWorker, long quotaWindowMillis) {
    public static final HttpLimits DEFAULT = new HttpLimits(1 << 20, 256L << 20, 10_000, 256, 60, 3_600_000);

    public HttpLimits withMaxUploadBytes(long value) {
        return new HttpLimits(maxRequestBytes, value, maxSessions, newWorkersPerIp, registrationsPerWorker,
                quotaWindowMillis);
    }

    public HttpLimits withMaxRequestBytes(long value) {
        return new HttpLimits(value, maxUploadBytes, maxSessions, newWorkersPerIp, registrationsPerWorker,
                quotaWindowMillis);
    }

    public HttpLimits withRegistrations(int newPerIp, int perWorker) {
        return new HttpLimits(maxRequestBytes, maxUploadBytes, maxSessions, newPerIp, perWorker, quotaWindowMillis);
    }

    public HttpLimits withMaxSessions(int value) {
        return new HttpLimits(maxRequestBytes, maxUploadBytes, value, newWorkersPerIp, registrationsPerWorker,
                quotaWindowMillis);
    }
}
