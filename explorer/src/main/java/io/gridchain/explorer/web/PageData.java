package io.gridchain.explorer.web;

import io.gridchain.explorer.chain.ChainReads;
import io.gridchain.explorer.index.HubEvent;
import io.gridchain.explorer.index.HubEvent.Kind;
import io.gridchain.explorer.index.HubEvents;
import io.gridchain.explorer.index.TxRow;
import io.gridchain.explorer.remote.OrderBook;
import io.gridchain.explorer.remote.PoolApi;
import io.gridchain.explorer.store.IndexQueries;
import io.gridchain.explorer.store.IndexQueries.Side;
import io.gridchain.explorer.store.IndexStore;
import io.gridchain.explorer.views.AccountPage;
import io.gridchain.explorer.views.AssetPage;
import io.gridchain.explorer.views.BookPage;
import io.gridchain.explorer.views.DealLine;
import io.gridchain.explorer.views.DealPage;
import io.gridchain.explorer.views.NetworkPage;
import io.gridchain.explorer.views.PoolPage;
import io.gridchain.explorer.views.TaskPage;
import io.gridchain.explorer.views.TaskStates;
import io.gridchain.explorer.views.Views;
import io.gridchain.protocol.GridClient.TaskStatus;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.deal.Deal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Gathers what each page shows: the index for history and counts, the chain for what is true now (balances, statuses),
 * a pool's scheduler and the order book for what only they know; then the page models ({@code views}) put it together.
 * Every read here is public: no key, no login, and nothing the requester keeps to itself (logs, sealed results).
 */
public final class PageData {
    private static final int LIST = 20;
    private static final int MAX_BATCHES_SEARCHED = 200;
    private static final long FRESH_MILLIS = 1_000;

    private final IndexStore store;
    private final IndexQueries queries;
    private final ChainReads chain;
    private final PoolApi pools;
    private final OrderBook book;
    private final Map<String, Fresh> recent = new java.util.concurrent.ConcurrentHashMap<>();

    public PageData(IndexStore store, ChainReads chain, PoolApi pools, OrderBook book) {
        this.store = store;
        this.queries = new IndexQueries(store);
        this.chain = chain;
        this.pools = pools;
        this.book = book;
    }

    /** A page or JSON twin asked for something the index does not hold: 404 with one line. */
    public static final class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message);
        }
    }

    public NetworkPage network() {
        long since = queries.lastTime() - NetworkPage.ACTIVE_WINDOW_SECONDS;
        return NetworkPage.of(store.cursor() - 1, store.totals(), queries.gasSpent(), queries.activeSince(since),
                queries.certifiedByTime(), lines(queries.latestDeals(LIST)));
    }

    /**
     * A deal's page, computed at most once a second however many browsers poll it: each computation reads every listed
     * task's status from the chain and, while not final, from its pool. A page made before the index moved (a new
     * range, or a reorganisation that took the deal out) is never served.
     */
    public DealPage deal(String dealId) {
        long now = System.currentTimeMillis();
        long version = store.version();
        Fresh cached = recent.get(dealId);
        if (cached != null && cached.version() == version && now - cached.at() < FRESH_MILLIS) return cached.page();
        DealPage page = computeDeal(dealId);
        if (recent.size() > 1_000) recent.clear();
        recent.put(dealId, new Fresh(now, version, page));
        return page;
    }

    private record Fresh(long at, long version, DealPage page) {}

    private DealPage computeDeal(String dealId) {
        IndexQueries.DealFigures f = queries.deal(dealId).orElseThrow(() -> new NotFound("no deal " + dealId
                + " in the index (not made yet, or not confirmed yet)"));
        List<HubEvent> events = dealEvents(dealId, null);
        long shown = Math.min(f.deal().volume(), DealPage.MAX_TASKS);
        boolean allCertified = f.certified() >= f.deal().volume();
        String api = allCertified ? null : chain.poolApiUrl(f.deal().workerpool()).orElse(null);
        List<DealPage.TaskLine> tasks = new ArrayList<>();
        for (long i = 0; i < shown; i++) {
            String taskId = Deal.taskId(dealId, i).toLowerCase(Locale.ROOT);
            tasks.add(new DealPage.TaskLine(i, taskId, allCertified ? TaskStates.CERTIFIED : status(taskId, api)));
        }
        return DealPage.of(f, events, queries.txs(txsOf(events)), tasks);
    }

    public TaskPage task(String taskId) {
        IndexQueries.TaskRef ref = queries.task(taskId).orElseThrow(() -> new NotFound("no task " + taskId
                + " in the index (not made yet, not confirmed yet, or past the first " + IndexStore.TASKS_PER_DEAL
                + " tasks of its deal: open the deal)"));
        IndexQueries.DealFigures f = queries.deal(ref.dealId()).orElseThrow();
        List<HubEvent> events = dealEvents(ref.dealId(), taskId);
        Map<String, TxRow> times = new HashMap<>();
        for (TxRow t : queries.txs(txsOf(events))) times.put(t.tx(), t);
        TaskStatus onChain = chain.taskStatus(taskId);
        String api = chain.poolApiUrl(f.deal().workerpool()).orElse(null);
        // asked even for a final task: the pool's replica counts complete its timeline (its status is not trusted)
        Optional<PoolApi.TaskState> offChain = api == null ? Optional.empty() : pools.task(api, taskId);
        String status = TaskStates.of(onChain, offChain);
        String certifiedBy = onChain == TaskStatus.FINALIZED ? batchOf(taskId, events) : null;
        String digest = onChain == TaskStatus.FINALIZED ? chain.digest(taskId).orElse(null) : null;
        String result = digest != null && api != null ? api.replaceAll("/+$", "") + "/v1/results/" + digest : null;
        String failure = TaskStates.isFinal(status) ? null : offChain.filter(s -> "FAILED".equals(s.status()))
                .map(PoolApi.TaskState::message).orElse(null);
        return new TaskPage(taskId, ref.dealId(), ref.index(), status, digest, result, f.deal().requester(),
                f.deal().workerpool(), failure, TaskPage.timeline(taskId, events, certifiedBy, times,
                        TaskStates.isFinal(status) ? null : status, offChain.map(s -> TaskPage.replicas(s.replicas(),
                                s.contributed())).orElse(null)));
    }

    public PoolPage pool(String pool) {
        HubEvent created = created(pool, Kind.WORKERPOOL_CREATED, "pool");
        String owner = created.party();
        PoolStake own = chain.stake(owner, owner);
        String api = chain.poolApiUrl(pool).orElse(null);
        boolean allowlistOnly = chain.allowlistOnly(pool);
        List<String> allowlisted = PoolPage.allowlisted(queries.events(Kind.WORKER_ALLOWLISTED, pool));
        PoolApi.Workers alive = api == null ? new PoolApi.Workers(List.of(), "the pool published no API URL")
                : pools.workers(api);
        List<PoolPage.WorkerLine> workers = new ArrayList<>();
        for (PoolApi.WorkerAlive w : alive.alive()) {
            PoolStake s = chain.stake(owner, w.worker());
            workers.add(new PoolPage.WorkerLine(w.worker(), w.slots(), w.busy(), s.score(), HubEvents.saturated(s.bond()),
                    !allowlistOnly || allowlisted.contains(w.worker())));
        }
        return new PoolPage(pool, owner, api, HubEvents.saturated(own.bond()), own.leaving(), chain.balance(owner).score(),
                allowlistOnly, allowlisted, workers, alive.error(), queries.usage(Side.WORKERPOOL, pool),
                queries.batchesOf(pool, LIST), lines(queries.dealsOf(Side.WORKERPOOL, pool, LIST)));
    }

    public AssetPage app(String app) {
        HubEvent created = created(app, Kind.APP_CREATED, "app");
        var a = chain.app(app);
        OrderBook.Listing orders = book.orders("app", "&app=" + app);
        return new AssetPage(app, "app", created.party(), a.name(), a.kind(), a.uri(), a.checksum(),
                only(orders.entries(), app), orders.error(), queries.usage(Side.APP, app),
                lines(queries.dealsOf(Side.APP, app, LIST)));
    }

    public AssetPage dataset(String dataset) {
        HubEvent created = created(dataset, Kind.DATASET_CREATED, "dataset");
        var d = chain.dataset(dataset);
        OrderBook.Listing orders = book.orders("dataset", "&dataset=" + dataset);
        return new AssetPage(dataset, "dataset", created.party(), d.name(), null, d.uri(), d.checksum(),
                only(orders.entries(), dataset), orders.error(), queries.usage(Side.DATASET, dataset),
                lines(queries.dealsOf(Side.DATASET, dataset, LIST)));
    }

    public AccountPage account(String account) {
        var balance = chain.balance(account);
        Set<String> schedulers = new LinkedHashSet<>();
        List<AccountPage.Owned> owns = new ArrayList<>();
        for (HubEvent e : store.about(account)) {
            if (e.kind() == Kind.BONDED && account.equals(e.party())) schedulers.add(e.subject());
            if (account.equals(e.party())) {
                switch (e.kind()) {
                    case WORKERPOOL_CREATED -> owns.add(new AccountPage.Owned("pool", e.subject()));
                    case APP_CREATED -> owns.add(new AccountPage.Owned("app", e.subject()));
                    case DATASET_CREATED -> owns.add(new AccountPage.Owned("dataset", e.subject()));
                    default -> { }
                }
            }
        }
        List<AccountPage.Bond> bonds = new ArrayList<>();
        BigInteger bonded = BigInteger.ZERO;
        for (String scheduler : schedulers) {
            PoolStake s = chain.stake(scheduler, account);
            bonded = bonded.add(s.bond());
            bonds.add(new AccountPage.Bond(scheduler, s.bond().toString(), s.earned().toString(), s.score(),
                    s.leaving()));
        }
        return new AccountPage(account, balance.free().toString(), balance.locked().toString(), bonded.toString(),
                balance.score(), bonds, owns, lines(queries.dealsOf(Side.REQUESTER, account, LIST)));
    }

    public BookPage orders() {
        List<OrderBook.Entry> offers = new ArrayList<>();
        String error = null;
        for (String kind : List.of("app", "dataset", "workerpool")) {
            OrderBook.Listing l = book.orders(kind, "");
            offers.addAll(l.entries());
            if (l.error() != null) error = l.error();
        }
        OrderBook.Listing requests = book.orders("request", "");
        return new BookPage(BookPage.depth(offers, false), BookPage.depth(requests.entries(), true),
                error != null ? error : requests.error());
    }

    /** What a search names: a page's path, or why nothing. */
    public String search(String q) {
        switch (Views.classify(q)) {
            case ID -> {
                if (queries.deal(q).isPresent()) return "/deal/" + q;
                if (queries.task(q).isPresent()) return "/task/" + q;
                throw new NotFound("no deal or task " + q + " in the index (not made yet, or not confirmed yet)");
            }
            case ADDRESS -> {
                for (HubEvent e : store.about(q)) {
                    if (!e.subject().equals(q)) continue;
                    switch (e.kind()) {
                        case WORKERPOOL_CREATED -> { return "/pool/" + q; }
                        case APP_CREATED -> { return "/app/" + q; }
                        case DATASET_CREATED -> { return "/dataset/" + q; }
                        default -> { }
                    }
                }
                return "/account/" + q;
            }
            default -> throw new NotFound("search for a deal id, a task id (0x and 64 hex digits) or an address (0x"
                    + " and 40), not " + (q == null || q.isBlank() ? "nothing" : "'" + q.strip() + "'"));
        }
    }

    private String status(String taskId, String api) {
        TaskStatus s = chain.taskStatus(taskId);
        if (s == TaskStatus.FINALIZED || s == TaskStatus.CLAIMED || api == null) {
            return TaskStates.of(s, Optional.empty());
        }
        return TaskStates.of(s, pools.task(api, taskId));
    }

    /** The batch transaction after which the hub reports the task final: the first batch of its deal that holds it. */
    private String batchOf(String taskId, List<HubEvent> events) {
        int searched = 0;
        for (HubEvent e : events) {
            if (e.kind() != Kind.BATCH_FINALIZED || searched++ >= MAX_BATCHES_SEARCHED) continue;
            if (chain.taskStatusAt(taskId, e.block()) == TaskStatus.FINALIZED) return e.tx();
        }
        return null;
    }

    /** The events of a deal and of its tasks that events name (and of {@code taskId}, which may be named by none). */
    private List<HubEvent> dealEvents(String dealId, String taskId) {
        List<HubEvent> events = new ArrayList<>(store.about(dealId));
        Set<String> tasks = new LinkedHashSet<>();
        if (taskId != null) tasks.add(taskId);
        for (HubEvent e : events) {
            if (e.kind() == Kind.TASK_INITIALIZED || e.kind() == Kind.TASK_CLAIMED) tasks.add(e.subject());
        }
        for (String t : tasks) {
            for (HubEvent e : store.about(t)) {
                if (!events.contains(e)) events.add(e);
            }
        }
        events.sort(Comparator.comparingLong(HubEvent::block).thenComparingInt(HubEvent::logIndex));
        return events;
    }

    private static List<String> txsOf(List<HubEvent> events) {
        return events.stream().map(HubEvent::tx).distinct().toList();
    }

    private HubEvent created(String address, Kind kind, String what) {
        for (HubEvent e : store.about(address)) {
            if (e.kind() == kind && e.subject().equals(address)) return e;
        }
        throw new NotFound("no " + what + " " + address + " in the index (not registered, or not confirmed yet)");
    }

    private static List<OrderBook.Entry> only(List<OrderBook.Entry> entries, String asset) {
        return entries.stream().filter(e -> e.asset().equals(asset)).toList();
    }

    private static List<DealLine> lines(List<IndexQueries.DealFigures> figures) {
        return figures.stream().map(DealLine::of).toList();
    }
}
