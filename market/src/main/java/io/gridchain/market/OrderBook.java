package io.gridchain.market;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.chain.BlockTrail;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.Order;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import java.math.BigInteger;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * The order book: signed orders validated on arrival against the chain, kept while they can still be
 * matched, queried by filters, and combined into the cheapest compatible deal for a requester.
 * {@link #follow()} keeps it in step with the chain (deals, cancellations, expiry).
 *
 * <p>Chain calls are made without the book's lock: a slow or hostile node (or a signer contract that burns its
 * gas) delays the one request that needs it, never every other publication and the chain following. The lock
 * guards only memory and the local store. Each signer keeps at most {@code maxOrdersPerSigner} live orders.
 *
 * <p>Matches and cancellations are applied only {@code confirmations} blocks below the head; a {@link BlockTrail}
 * of the scanned blocks shows a reorganisation, after which every order in the book, and every order the chain
 * ended lately, has its consumed volume read again: an undone match puts its order back, nothing counts twice.
 *
 * <p>Over 600 lines: publication, queries, the best-deal search, the chain following and its recovery from
 * reorganisations (which puts ended orders back) all read and update the same indexes under the same lock;
 * splitting them would spread that invariant over several classes.
 */
public final class OrderBook {
    private static final Logger log = LoggerFactory.getLogger(OrderBook.class);
    private static final BigInteger MAX_TRUST = BigInteger.TWO.pow(64);
    private static final String ZERO = Words.ZERO_ADDRESS;

    /** An order in the book with the volume the hub reports consumed. */
    public record Live(SignedOrder signed, BigInteger consumed) {
        public Order order() {
            return signed.order();
        }

        public String hash() {
            return signed.hash();
        }

        public BigInteger remaining() {
            return volume(order()).subtract(consumed).max(BigInteger.ZERO);
        }

        /** Price per task; for a request, the sum of its three maximum prices. */
        public BigInteger price() {
            return OrderBook.price(order());
        }
    }

    /** Result of a publication: the order's hash, its remaining volume, and whether it is new to the book. */
    public record Published(String hash, BigInteger remaining, boolean created) {}

    /** Filters of GET /v1/orders; null means "any". */
    public record Query(Order.Kind kind, String app, String dataset, String workerpool, String requester,
            BigInteger category, String tag, BigInteger maxPrice, BigInteger minVolume, boolean byTime, int limit) {}

    /** What a requester wants to run: GET /v1/best. {@code dataset} and {@code workerpool} are zero for none / any. */
    public record Want(String app, String dataset, String requester, String workerpool, BigInteger category,
            BigInteger trust, String tag, BigInteger volume, BigInteger maxPrice) {}

    /** The least bond and reputation a pool's owner must have for the pool's orders to be offered; null for none. */
    public record PoolFloor(BigInteger bond, Long reputation) {
        public static final PoolFloor NONE = new PoolFloor(null, null);

        boolean active() {
            return bond != null || reputation != null;
        }

        boolean admits(ChainView.PoolStanding s) {
            return s.registered() && !s.leaving() && (bond == null || s.bond().compareTo(bond) >= 0)
                    && (reputation == null || s.reputation() >= reputation);
        }

        String describe() {
            return (bond == null ? "" : "bond >= " + bond) + (bond != null && reputation != null ? " and " : "")
                    + (reputation == null ? "" : "reputation >= " + reputation);
        }
    }

    /** The cheapest compatible orders; {@code dataset} is null without dataset. */
    public record Triple(Live app, Live dataset, Live workerpool, BigInteger price, BigInteger volume) {}

    private final ChainView chain;
    private final OrderStore store;
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    /** Live orders per signer, changed with {@link #live} under the lock. */
    private final Map<String, Integer> bySigner = new ConcurrentHashMap<>();
    private final int maxOrdersPerSigner;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile long cursor;
    private volatile long chainTime;
    private final int confirmations;
    /** The hashes of the blocks the scan processed, saved: how a reorganisation is seen (follow loop only). */
    private final BlockTrail trail;
    /**
     * Orders the chain exhausted or cancelled, kept (and saved) with the block that ended them while a
     * reorganisation could still undo that: one that does puts them back in the book (follow loop only).
     */
    private final Map<String, Ended> ended = new java.util.LinkedHashMap<>();

    private record Ended(Live order, long block) {}

    public OrderBook(ChainView chain, OrderStore store, int maxOrdersPerSigner) {
        this(chain, store, maxOrdersPerSigner, 0);
    }

    /** Matches and cancellations are applied once {@code confirmations} blocks follow theirs. */
    public OrderBook(ChainView chain, OrderStore store, int maxOrdersPerSigner, int confirmations) {
        this.chain = chain;
        this.store = store;
        this.maxOrdersPerSigner = maxOrdersPerSigner;
        this.confirmations = confirmations;
        for (OrderStore.Stored s : store.all()) add(new Live(s.order(), s.consumed()));
        for (OrderStore.Ended e : store.ended()) {
            ended.put(e.order().order().hash(), new Ended(new Live(e.order().order(), e.order().consumed()), e.block()));
        }
        this.trail = new BlockTrail(BlockTrail.WINDOW, store.trail());
        var saved = store.cursor();
        if (saved.isPresent()) {
            cursor = saved.getAsLong();
        } else {
            cursor = chain.blockNumber();
            store.setCursor(cursor);
        }
        chainTime = chain.chainTime();
        log.info("order book: {} orders, chain cursor at block {}", live.size(), cursor);
    }

    /** The next block the book will scan for deals and cancellations. */
    public long cursor() {
        return cursor;
    }

    public long chainTime() {
        return chainTime;
    }

    public int size() {
        return live.size();
    }

    /** Live orders of each kind, counted without the lock (a moment's count, for metrics). */
    public Map<Order.Kind, Long> countByKind() {
        Map<Order.Kind, Long> out = new java.util.EnumMap<>(Order.Kind.class);
        for (Order.Kind k : Order.Kind.values()) out.put(k, 0L);
        for (Live l : live.values()) out.merge(l.order().kind(), 1L, Long::sum);
        return out;
    }

    // ---------------------------------------------------------------- publication

    /** Publishes {@code {"kind", "order", "signature"}}. */
    public Published publish(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw Rejected.badRequest("the body must be a JSON object {\"kind\", \"order\", \"signature\"}");
        }
        Order.Kind kind = OrderJson.kind(body.path("kind").isTextual() ? body.get("kind").asText() : null);
        Order order = OrderJson.read(kind, body.get("order"));
        JsonNode sig = body.get("signature");
        if (sig != null && !sig.isNull() && !sig.isTextual()) {
            throw Rejected.badRequest("\"signature\" must be a 0x hex string (empty for a presigned order)");
        }
        return publish(order, sig == null || sig.isNull() ? "" : sig.asText());
    }

    /**
     * Validates {@code order} against the chain and adds it; an order already in the book is returned as is. The
     * chain is read before the lock is taken (see the class comment).
     */
    public Published publish(Order order, String signatureHex) {
        order = OrderJson.read(order.kind(), OrderJson.write(order)); // canonical addresses and bytes32
        byte[] signature = signature(signatureHex);
        String hash = order.hash();
        Live known = live.get(hash);
        if (known != null) return new Published(hash, known.remaining(), false);

        BigInteger volume = volume(order);
        if (volume.signum() == 0) throw Rejected.badRequest("order.volume is 0: an order must offer at least 1 task");
        String signer = signerOf(order);
        checkQuota(signer); // before the costlier chain reads: a flooding signer is refused cheaply
        checkCategory(order);
        BigInteger expiry = expiry(order);
        long now = chain.chainTime();
        chainTime = now;
        if (expiry.signum() != 0 && BigInteger.valueOf(now).compareTo(expiry) > 0) {
            throw Rejected.badRequest("order " + hash + " expired at " + expiry + " (chain time is now " + now
                    + "): sign it again with a later expiry, or 0 for never");
        }
        checkSignature(order, hash, signer, signature);
        BigInteger consumed = chain.consumedOf(hash);
        if (consumed.equals(ChainView.CANCELLED)) {
            throw Rejected.badRequest("order " + hash + " was cancelled on-chain: publish a new order (new salt)");
        }
        if (consumed.compareTo(volume) >= 0) {
            throw Rejected.badRequest("order " + hash + " is fully consumed on-chain (" + consumed + " of " + volume
                    + " tasks used): publish a new order");
        }
        SignedOrder signed = new SignedOrder(order.kind(), order, signatureHex.isEmpty() ? "" :
                Numeric.toHexString(signature), hash, signer, System.currentTimeMillis());
        Live l = new Live(signed, consumed);
        lock.lock();
        try {
            Live raced = live.get(hash);
            if (raced != null) return new Published(hash, raced.remaining(), false);
            checkQuota(signer);
            store.put(signed, consumed);
            add(l);
        } finally {
            lock.unlock();
        }
        log.debug("published {} order {} ({} left)", order.kind().label(), hash, l.remaining());
        return new Published(hash, l.remaining(), true);
    }

    private void checkQuota(String signer) {
        int held = bySigner.getOrDefault(signer, 0);
        if (held >= maxOrdersPerSigner) {
            throw new Rejected(429, "signer " + signer + " already has " + held + " live orders in this book (at most "
                    + maxOrdersPerSigner + "): cancel some or let them be matched or expire");
        }
    }

    /** Adds a live order (caller holds the lock, or is the constructor). */
    private void add(Live l) {
        live.put(l.hash(), l);
        bySigner.merge(l.signed().signer(), 1, Integer::sum);
    }

    private static byte[] signature(String hex) {
        String h = hex == null ? "" : hex.trim();
        if (h.isEmpty() || h.equals("0x")) return new byte[0];
        if (!h.matches("0[xX]([0-9a-fA-F]{2})+")) {
            throw Rejected.badRequest("\"signature\" must be 0x-prefixed hex bytes (65 bytes r||s||v for a key; "
                    + "empty if presigned), got '" + abbreviate(h) + "'");
        }
        return Numeric.hexStringToByteArray(h);
    }

    /** The address that must have signed: the asset's current owner, or the requester; checks registration. */
    private String signerOf(Order order) {
        if (order instanceof AppOrder a) return registered("app", a.app(), chain.appOwner(a.app()), "app publish");
        if (order instanceof DatasetOrder d) {
            return registered("dataset", d.dataset(), chain.datasetOwner(d.dataset()), "dataset publish");
        }
        if (order instanceof WorkerpoolOrder w) {
            return registered("workerpool", w.workerpool(), chain.workerpoolOwner(w.workerpool()), "pool create");
        }
        RequestOrder r = (RequestOrder) order;
        if (ZERO.equals(r.requester())) {
            throw Rejected.badRequest("order.requester is the zero address: set it to the account that pays");
        }
        registered("app", r.app(), chain.appOwner(r.app()), "app publish");
        if (!ZERO.equals(r.dataset())) registered("dataset", r.dataset(), chain.datasetOwner(r.dataset()), "dataset publish");
        if (r.trust().compareTo(MAX_TRUST) > 0) {
            throw Rejected.badRequest("order.trust " + r.trust() + " is above the maximum 2^64");
        }
        return r.requester();
    }

    private static String registered(String what, String asset, String owner, String cmd) {
        if (ZERO.equals(owner)) {
            throw Rejected.badRequest(what + " " + asset + " is not registered in the " + what
                    + " registry: register it first (`gridchain " + cmd + "`) or fix the address");
        }
        return owner;
    }

    private void checkCategory(Order order) {
        BigInteger category = order instanceof WorkerpoolOrder w ? w.category()
                : order instanceof RequestOrder r ? r.category() : null;
        if (category == null) return;
        long count = chain.categoryCount();
        if (category.compareTo(BigInteger.valueOf(count)) >= 0) {
            throw Rejected.badRequest("category " + category + " does not exist: the hub has " + count
                    + " categories, ids 0 to " + (count - 1));
        }
    }

    private void checkSignature(Order order, String hash, String signer, byte[] signature) {
        String role = order.kind() == Order.Kind.REQUEST ? "requester" : order.kind().label() + "'s current owner";
        if (signature.length == 0) {
            String presigner = chain.presignerOf(hash);
            if (!presigner.equals(signer)) {
                throw Rejected.badRequest("no signature and order " + hash + " is not presigned on-chain by the "
                        + role + " " + signer + ": sign it with that account or presign it from it");
            }
            return;
        }
        byte[] digest = chain.protocol().domain().digest(order.structHash());
        String recovered = null;
        if (signature.length == 65) {
            recovered = recover(digest, signature);
            if (signer.equals(recovered)) return;
        }
        if (chain.isValidErc1271(signer, digest, signature)) return;
        throw Rejected.badRequest("signature is not valid for the " + role + " " + signer
                + (recovered == null ? "" : " (it was made by " + recovered + ")")
                + ": sign the order's EIP-712 digest with the " + role + "'s key (hub "
                + chain.protocol().addresses().hub() + ", chain " + chain.protocol().chain().chainId() + ")");
    }

    private static String recover(byte[] digest, byte[] sig) {
        byte v = sig[64];
        if (v < 27) v += 27;
        try {
            BigInteger key = Sign.signedMessageHashToKey(digest, new Sign.SignatureData(v, Arrays.copyOfRange(sig, 0, 32),
                    Arrays.copyOfRange(sig, 32, 64)));
            return "0x" + Keys.getAddress(key).toLowerCase();
        } catch (SignatureException | RuntimeException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- chain following

    /**
     * One step of following the chain: scans DealCreated and OrderCancelled logs from the cursor up to
     * {@code confirmations} below the head, refreshes the consumed volume (as of that block) of every order they
     * name that is in the book, drops exhausted, cancelled and expired orders, and persists the new cursor. After a
     * reorganisation that removed blocks it had scanned, the book reads again the consumed volume of every order it
     * holds or ended lately, so an order whose match was undone is offered again and nothing is counted twice, and
     * scans again from the fork point.
     */
    public void follow() {
        // the chain is read first, without the lock; only the follow loop moves the cursor
        long now = chain.chainTime();
        chainTime = now;
        long head = chain.blockNumber();
        BlockTrail.Step step = trail.next(cursor, head, confirmations, chain::hashAt);
        if (step instanceof BlockTrail.Rewind r) {
            rewind(r, head);
            step = trail.next(cursor, head, confirmations, chain::hashAt);
        }
        if (!(step instanceof BlockTrail.Advance a)) {
            dropExpired(now);
            return;
        }
        String hash = chain.hashAt(a.to());
        if (hash == null) return; // the head went back meanwhile: the next step sees it
        trail.processed(new BlockTrail.Mark(a.to(), hash));
        store.setTrail(trail.marks()); // before the cursor moves: a restart then checks every block it scanned
        ChainView.Touched touched = chain.touched(a.from(), a.to());
        long at = touched.nextBlock() - 1;
        Map<String, BigInteger> consumed = new java.util.LinkedHashMap<>();
        for (String h : touched.hashes()) {
            if (live.containsKey(h)) consumed.put(h, chain.consumedOf(h, at));
        }
        lock.lock();
        try {
            consumed.forEach((h, c) -> refresh(h, c, at));
            dropExpired(now);
            if (touched.nextBlock() != cursor) {
                cursor = touched.nextBlock();
                store.setCursor(cursor);
            }
        } finally {
            lock.unlock();
        }
        forgetEnded();
    }

    private void dropExpired(long now) {
        lock.lock();
        try {
            for (Live l : List.copyOf(live.values())) {
                if (expired(l, now)) drop(l.hash(), "expired");
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads again, as of the newest confirmed block, the consumed volume of every order in the book and of every
     * order ended lately: an order whose match or cancellation the reorganisation removed comes back. The scan then
     * goes on from the block after the fork point (from where it was when the fork is older than the trail: every
     * order was read again, so nothing before is missed).
     */
    private void rewind(BlockTrail.Rewind r, long head) {
        long at = Math.max(0, head - confirmations);
        trail.rewound(r.fork());
        store.setTrail(trail.marks());
        Map<String, BigInteger> consumed = new java.util.LinkedHashMap<>();
        for (String h : live.keySet()) consumed.put(h, chain.consumedOf(h, at));
        for (String h : ended.keySet()) consumed.put(h, chain.consumedOf(h, at));
        long from = Math.min(cursor, r.from(cursor));
        log.warn("chain reorganisation: blocks after {} were replaced; {} order(s) read again, scanning from block {}",
                r.fork() == null ? "the trail" : Long.toString(r.fork().number()), consumed.size(), from);
        lock.lock();
        try {
            consumed.forEach((h, c) -> {
                Ended e = ended.get(h);
                if (e != null && !c.equals(ChainView.CANCELLED) && c.compareTo(volume(e.order().order())) < 0) {
                    ended.remove(h);
                    Live back = new Live(e.order().signed(), c);
                    store.restore(h, c);
                    add(back);
                    log.info("order {} is offered again: the reorganisation undid what ended it", h);
                } else {
                    refresh(h, c, at);
                }
            });
            cursor = from;
            store.setCursor(cursor);
        } finally {
            lock.unlock();
        }
    }

    /** Ended orders whose end is older than the trail can no longer be undone. */
    private void forgetEnded() {
        BlockTrail.Mark oldest = trail.marks().isEmpty() ? null : trail.marks().get(0);
        if (oldest != null && ended.values().removeIf(e -> e.block() < oldest.number())) {
            store.forgetEnded(oldest.number());
        }
    }

    /** Applies the consumed volume read from the chain at block {@code at} (caller holds the lock). */
    private void refresh(String hash, BigInteger consumed, long at) {
        Live l = live.get(hash);
        if (l == null) return;
        if (consumed.equals(ChainView.CANCELLED)) {
            end(l, at, "cancelled");
        } else if (consumed.compareTo(volume(l.order())) >= 0) {
            end(l, at, "fully consumed");
        } else if (!consumed.equals(l.consumed())) {
            live.put(hash, new Live(l.signed(), consumed));
            store.updateConsumed(hash, consumed);
        }
    }

    private void end(Live l, long at, String why) {
        forget(l.hash(), why);
        store.end(l.hash(), at);
        ended.put(l.hash(), new Ended(l, at));
    }

    private void drop(String hash, String why) {
        forget(hash, why);
        store.remove(hash);
    }

    /** Takes the order out of memory (caller holds the lock). */
    private void forget(String hash, String why) {
        Live l = live.remove(hash);
        if (l != null) bySigner.computeIfPresent(l.signed().signer(), (s, n) -> n > 1 ? n - 1 : null);
        log.debug("dropped order {}: {}", hash, why);
    }

    private static boolean expired(Live l, long now) {
        BigInteger e = expiry(l.order());
        return e.signum() != 0 && BigInteger.valueOf(now).compareTo(e) > 0;
    }

    // ---------------------------------------------------------------- queries

    public Optional<Live> get(String hash) {
        return Optional.ofNullable(live.get(hash.toLowerCase())).filter(l -> !expired(l, chainTime));
    }

    public List<Live> list(Query q) {
        Comparator<Live> order = q.byTime()
                ? Comparator.comparingLong((Live l) -> l.signed().publishedAt()).thenComparing(Live::hash)
                : Comparator.comparing(Live::price).thenComparingLong(l -> l.signed().publishedAt())
                        .thenComparing(Live::hash);
        return live.values().stream().filter(l -> matches(l, q)).sorted(order).limit(q.limit()).toList();
    }

    private boolean matches(Live l, Query q) {
        if (expired(l, chainTime)) return false;
        Order o = l.order();
        if (q.kind() != null && o.kind() != q.kind()) return false;
        if (q.tag() != null && !covers(tag(o), q.tag())) return false;
        if (q.maxPrice() != null && l.price().compareTo(q.maxPrice()) > 0) return false;
        if (q.minVolume() != null && l.remaining().compareTo(q.minVolume()) < 0) return false;
        if (o instanceof AppOrder a) {
            return eq(q.app(), a.app()) && allows(a.datasetRestrict(), q.dataset())
                    && allows(a.workerpoolRestrict(), q.workerpool()) && allows(a.requesterRestrict(), q.requester());
        }
        if (o instanceof DatasetOrder d) {
            return eq(q.dataset(), d.dataset()) && allows(d.appRestrict(), q.app())
                    && allows(d.workerpoolRestrict(), q.workerpool()) && allows(d.requesterRestrict(), q.requester());
        }
        if (o instanceof WorkerpoolOrder w) {
            return eq(q.workerpool(), w.workerpool()) && allows(w.appRestrict(), q.app())
                    && allows(w.datasetRestrict(), q.dataset()) && allows(w.requesterRestrict(), q.requester())
                    && (q.category() == null || q.category().equals(w.category()));
        }
        RequestOrder r = (RequestOrder) o;
        return eq(q.app(), r.app()) && eq(q.dataset(), r.dataset())
                && allows(r.workerpool(), q.workerpool()) && eq(q.requester(), r.requester())
                && (q.category() == null || q.category().equals(r.category()));
    }

    /** The cheapest compatible app, dataset (if wanted) and workerpool orders for {@code w}. */
    public Triple best(Want w) {
        return offers(w, 1, PoolFloor.NONE).get(0);
    }

    /**
     * The cheapest compatible deal on each of up to {@code pools} workerpools, cheapest first. The book cannot tell
     * an honest pool from a free-riding one (bonds and reputations live on-chain, and the requester must check them
     * itself), so it shows the requester the alternatives instead of only the cheapest. With a {@code floor}, only
     * pools whose owner meets it: past a flood of cheap orders from pools below a requester's minimums.
     */
    public List<Triple> offers(Want w, int pools, PoolFloor floor) {
        boolean withDataset = !ZERO.equals(w.dataset());
        String forWhom = "requester " + w.requester() + (withDataset ? " with dataset " + w.dataset() : " without dataset");
        List<Live> apps = select(Order.Kind.APP, w, l -> {
            AppOrder a = (AppOrder) l.order();
            return a.app().equals(w.app()) && allows(a.datasetRestrict(), w.dataset())
                    && allows(a.requesterRestrict(), w.requester());
        });
        if (apps.isEmpty()) {
            throw new Rejected(404, "no app order for app " + w.app() + " with " + w.volume() + "+ tasks left is open to "
                    + forWhom + ": the app owner must publish one");
        }
        List<Live> datasets = !withDataset ? java.util.Collections.singletonList(null)
                : select(Order.Kind.DATASET, w, l -> {
                    DatasetOrder d = (DatasetOrder) l.order();
                    return d.dataset().equals(w.dataset()) && allows(d.appRestrict(), w.app())
                            && allows(d.requesterRestrict(), w.requester());
                });
        if (datasets.isEmpty()) {
            throw new Rejected(404, "no dataset order for dataset " + w.dataset() + " with " + w.volume()
                    + "+ tasks left is open to app " + w.app() + " and requester " + w.requester()
                    + ": the dataset owner must publish one");
        }
        BigInteger trust = max1(w.trust());
        List<Live> candidates = select(Order.Kind.WORKERPOOL, w, l -> {
            WorkerpoolOrder p = (WorkerpoolOrder) l.order();
            return p.category().equals(w.category()) && max1(p.trust()).compareTo(trust) >= 0
                    && (ZERO.equals(w.workerpool()) || p.workerpool().equals(w.workerpool()))
                    && allows(p.appRestrict(), w.app()) && allows(p.datasetRestrict(), w.dataset())
                    && allows(p.requesterRestrict(), w.requester());
        });
        if (candidates.isEmpty()) {
            throw new Rejected(404, "no workerpool order in category " + w.category() + " with trust >= " + trust
                    + (ZERO.equals(w.workerpool()) ? "" : " from workerpool " + w.workerpool()) + " serves app "
                    + w.app() + " for " + forWhom + ": publish one or lower the trust");
        }
        if (floor.active()) {
            Map<String, Boolean> admitted = new java.util.HashMap<>();
            candidates = candidates.stream().filter(l -> admitted.computeIfAbsent(((WorkerpoolOrder) l.order())
                    .workerpool(), p -> floor.admits(chain.poolStanding(p)))).toList();
            if (candidates.isEmpty()) {
                throw new Rejected(404, "no workerpool order in category " + w.category() + " with trust >= " + trust
                        + " serving app " + w.app() + " comes from a pool whose owner has " + floor.describe()
                        + " (bonded in its own pool, not leaving): lower the minimums or wait for such a pool");
            }
        }
        Map<String, Triple> perPool = new java.util.HashMap<>();
        for (Live pool : candidates) {
            WorkerpoolOrder p = (WorkerpoolOrder) pool.order();
            for (Live app : apps) {
                AppOrder a = (AppOrder) app.order();
                if (!allows(a.workerpoolRestrict(), p.workerpool())) continue;
                for (Live ds : datasets) {
                    DatasetOrder d = ds == null ? null : (DatasetOrder) ds.order();
                    if (d != null && !allows(d.workerpoolRestrict(), p.workerpool())) continue;
                    String required = or(or(a.tag(), w.tag()), d == null ? Words.ZERO_BYTES32 : d.tag());
                    if (!covers(p.tag(), required)) continue;
                    BigInteger price = a.price().add(p.price()).add(d == null ? BigInteger.ZERO : d.price());
                    BigInteger volume = app.remaining().min(pool.remaining()).min(ds == null ? app.remaining() : ds.remaining());
                    Triple t = new Triple(app, ds, pool, price, volume);
                    perPool.merge(p.workerpool(), t, (x, y) -> cheaper(x, y) ? x : y);
                }
            }
        }
        if (perPool.isEmpty()) {
            throw new Rejected(404, candidates.size() + " workerpool order(s) in category " + w.category() + " with trust >= "
                    + trust + " exist, but none offers the tags the app/dataset/request require or is allowed by "
                    + "the app/dataset orders' workerpool restrictions: publish a compatible workerpool order");
        }
        List<Triple> sorted = perPool.values().stream().sorted((a, b) -> cheaper(a, b) ? -1 : cheaper(b, a) ? 1 : 0)
                .toList();
        Triple best = sorted.get(0);
        if (w.maxPrice() != null && best.price().compareTo(w.maxPrice()) > 0) {
            throw new Rejected(404, "the cheapest compatible orders cost " + best.price() + " per task, above maxPrice "
                    + w.maxPrice() + ": raise maxPrice or wait for cheaper orders");
        }
        return sorted.stream().filter(t -> w.maxPrice() == null || t.price().compareTo(w.maxPrice()) <= 0)
                .limit(Math.max(1, pools)).toList();
    }

    private List<Live> select(Order.Kind kind, Want w, Predicate<Live> p) {
        return live.values().stream()
                .filter(l -> l.order().kind() == kind && !expired(l, chainTime)
                        && l.remaining().compareTo(w.volume()) >= 0 && p.test(l))
                .toList();
    }

    private static boolean cheaper(Triple a, Triple b) {
        int c = a.price().compareTo(b.price());
        if (c != 0) return c < 0;
        long ta = latest(a);
        long tb = latest(b);
        if (ta != tb) return ta < tb;
        return (a.workerpool().hash() + a.app().hash()).compareTo(b.workerpool().hash() + b.app().hash()) < 0;
    }

    private static long latest(Triple t) {
        long m = Math.max(t.app().signed().publishedAt(), t.workerpool().signed().publishedAt());
        return t.dataset() == null ? m : Math.max(m, t.dataset().signed().publishedAt());
    }

    // ---------------------------------------------------------------- order fields

    /** The tasks an order offers (or a request asks for). */
    public static BigInteger volume(Order o) {
        if (o instanceof AppOrder a) return a.volume();
        if (o instanceof DatasetOrder d) return d.volume();
        if (o instanceof WorkerpoolOrder w) return w.volume();
        return ((RequestOrder) o).volume();
    }

    static BigInteger expiry(Order o) {
        if (o instanceof AppOrder a) return a.expiry();
        if (o instanceof DatasetOrder d) return d.expiry();
        if (o instanceof WorkerpoolOrder w) return w.expiry();
        return ((RequestOrder) o).expiry();
    }

    static String tag(Order o) {
        if (o instanceof AppOrder a) return a.tag();
        if (o instanceof DatasetOrder d) return d.tag();
        if (o instanceof WorkerpoolOrder w) return w.tag();
        return ((RequestOrder) o).tag();
    }

    /** Price per task; for a request, the sum of its three maximum prices. */
    public static BigInteger price(Order o) {
        if (o instanceof AppOrder a) return a.price();
        if (o instanceof DatasetOrder d) return d.price();
        if (o instanceof WorkerpoolOrder w) return w.price();
        RequestOrder r = (RequestOrder) o;
        return r.appMaxPrice().add(r.datasetMaxPrice()).add(r.workerpoolMaxPrice());
    }

    /** Whether the bits of {@code offered} include all bits of {@code required}. */
    static boolean covers(String offered, String required) {
        return Numeric.toBigInt(required).andNot(Numeric.toBigInt(offered)).signum() == 0;
    }

    private static String or(String a, String b) {
        return Words.bytes32(Numeric.toBigInt(a).or(Numeric.toBigInt(b)));
    }

    /** A restriction field allows {@code value} when it is zero or equal; a null value (not asked) is allowed. */
    private static boolean allows(String restriction, String value) {
        return value == null || ZERO.equals(restriction) || restriction.equals(value);
    }

    private static boolean eq(String wanted, String actual) {
        return wanted == null || wanted.equals(actual);
    }

    private static BigInteger max1(BigInteger trust) {
        return trust.signum() == 0 ? BigInteger.ONE : trust;
    }

    private static String abbreviate(String s) {
        return s.length() > 24 ? s.substring(0, 24) + "…" : s;
    }
}
