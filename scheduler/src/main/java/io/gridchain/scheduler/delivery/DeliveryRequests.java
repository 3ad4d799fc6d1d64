package io.gridchain.scheduler.delivery;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.api.Delivery;
import io.gridchain.api.WorkerApi;
import io.gridchain.api.sms.Signatures;
import io.gridchain.scheduler.SchedulerService.Rejected;
import io.gridchain.scheduler.results.FileResultStore;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks a request naming a deal's delivery target: signed ({@link Delivery#message}) by the deal's requester, for
 * this chain, recently, over exactly this body; and a target that can work. Each refusal is one line: 401 for a
 * missing, stale or malformed signature, 404 for a deal this scheduler does not drive, 403 for anyone but its
 * requester, 400 for a bad target.
 */
public final class DeliveryRequests {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private final long chainId;
    private final Function<String, Optional<String>> requesterOf;
    private final Destinations destinations;

    /**
     * @param requesterOf the requester of a deal this scheduler drives, by deal id
     * @param destinations where this pool may send results (public addresses only, unless its operator says)
     */
    public DeliveryRequests(long chainId, Function<String, Optional<String>> requesterOf, Destinations destinations) {
        this.chainId = chainId;
        this.requesterOf = requesterOf;
        this.destinations = destinations;
    }

    /** The checked request: who signed it (the deal's requester) and the target. */
    public record Checked(String requester, DeliveryTarget target) {}

    public Checked check(String dealId, String time, String signature, byte[] body, long nowSeconds) {
        String deal = dealId == null ? "" : dealId.toLowerCase();
        if (!deal.matches("0x[0-9a-f]{64}")) throw new Rejected(400, "not a deal id: " + dealId);
        long t;
        try {
            t = Long.parseLong(time);
        } catch (NumberFormatException | NullPointerException e) {
            throw new Rejected(401, "a deal's delivery target is named by its requester: sign the request with `gridchain"
                    + " deal deliver " + deal + " --to …` (missing " + WorkerApi.LOGS_TIME + ")");
        }
        if (Math.abs(nowSeconds - t) > WorkerApi.LOGS_WINDOW_SECONDS) {
            throw new Rejected(401, "the delivery request was signed at " + t + ", too far from this scheduler's clock:"
                    + " sign a fresh one, and check the clock");
        }
        String signer = Signatures.recover(Delivery.message(chainId, deal, t, FileResultStore.sha256(body)), signature)
                .orElseThrow(() -> new Rejected(401, "the delivery request's signature is missing or malformed"));
        String requester = requesterOf.apply(deal).orElseThrow(() -> new Rejected(404, "deal " + deal + " is unknown"
                + " to this scheduler: it is another pool's, or not seen yet (try again in a few blocks)"));
        if (!requester.equalsIgnoreCase(signer)) {
            // a signature over another body or deal recovers some other address: it lands here too
            throw new Rejected(403, "the delivery target of deal " + deal + " is for its requester " + requester
                    + " to name, not for " + signer);
        }
        Delivery.Target wire;
        try {
            wire = JSON.readValue(body, Delivery.Target.class);
        } catch (IOException e) {
            throw new Rejected(400, "the delivery target is not the expected JSON: " + firstLine(e));
        }
        try {
            DeliveryTarget target = DeliveryTarget.of(wire);
            destinations.check(target);
            return new Checked(requester.toLowerCase(), target);
        } catch (IllegalArgumentException e) {
            throw new Rejected(400, "bad delivery target: " + e.getMessage());
        }
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
