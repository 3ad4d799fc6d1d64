package io.gridchain.protocol.errors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Turns revert data into one readable sentence. web3j does not decode custom errors, so the
 * selectors are read from the contracts' ABIs and each known error has a message template.
 */
public final class RevertDecoder {
    private record ErrorDef(String name, List<String> types) {}

    private static final List<String> CONTRACTS = List.of(
            "GridHub", "GridHubExtension", "AppRegistry", "DatasetRegistry", "WorkerpoolRegistry", "DevToken", "ContractAccount",
            "EchoConsumer", "ChessGame");
    private static final String[] ORDER_KINDS = {"app", "dataset", "workerpool", "request"};
    private static final String[] PHASES = {"not started", "active", "revealing", "done"};

    private static final Map<String, Function<List<Object>, String>> MESSAGES = new HashMap<>();
    private static volatile Map<String, ErrorDef> bySelector;

    static {
        m("WorkerpoolPriceTooHigh", a -> "request max price " + a.get(0) + " is below workerpool price " + a.get(1));
        m("AppPriceTooHigh", a -> "request max price " + a.get(0) + " is below app price " + a.get(1));
        m("DatasetPriceTooHigh", a -> "request max price " + a.get(0) + " is below dataset price " + a.get(1));
        m("InsufficientFreeBalance", a -> "account " + a.get(0) + " has " + a.get(2) + " free tokens but "
                + a.get(1) + " are needed: deposit more");
        m("ZeroAmount", a -> "amount must be positive");
        m("UnknownAsset", a -> kind(a.get(0)) + " " + a.get(1) + " is not registered");
        m("InvalidSignature", a -> kind(a.get(0)) + " order " + a.get(1) + " is not signed by its signer " + a.get(2));
        m("NotOrderSigner", a -> "only " + a.get(1) + " may presign or cancel this " + kind(a.get(0))
                + " order, not " + a.get(2));
        m("OrderExpired", a -> kind(a.get(0)) + " order " + a.get(1) + " expired at unix time " + a.get(2));
        m("OrderIsCancelled", a -> kind(a.get(0)) + " order " + a.get(1) + " was cancelled");
        m("OrderFullyConsumed", a -> kind(a.get(0)) + " order " + a.get(1) + " is fully consumed (volume "
                + a.get(2) + ")");
        m("AppMismatch", a -> "request is for app " + a.get(0) + " but the app order offers " + a.get(1));
        m("DatasetMismatch", a -> "request is for dataset " + a.get(0) + " but the dataset order offers " + a.get(1));
        m("CategoryMismatch", a -> "request category " + a.get(0) + " differs from workerpool category " + a.get(1));
        m("TrustNotOffered", a -> "request trust " + a.get(0) + " is above the workerpool's maximum trust " + a.get(1));
        m("TrustTooHigh", a -> "trust " + a.get(0) + " is above the maximum " + a.get(1));
        m("TagNotOffered", a -> "the workerpool does not offer the required tag bits " + a.get(0) + " (it offers "
                + a.get(1) + ")");
        m("Restricted", a -> "the " + kind(a.get(0)) + " order only accepts " + party(a.get(1)) + " " + a.get(2)
                + ", not " + a.get(3));
        m("UnknownDeal", a -> "deal " + a.get(0) + " is unknown or the deal terms given do not match it");
        m("UnknownCategory", a -> "category " + a.get(0) + " does not exist");
        m("ZeroCategoryTime", a -> "a category's reference time must be positive");
        m("NotScheduler", a -> "only the deal's scheduler " + a.get(0) + " may do this, not " + a.get(1));
        m("TaskIndexOutOfRange", a -> "task index " + a.get(0) + " is out of range: the deal has " + a.get(1) + " tasks");
        m("TaskAlreadyFinalized", a -> "task " + a.get(0) + " is already finalized");
        m("TaskAlreadyClaimed", a -> "task " + a.get(0) + " was already claimed");
        m("TaskOnClassicPath", a -> "task " + a.get(0) + " runs on the per-worker path: finalize it there");
        m("DeadlinePassed", a -> "deal " + a.get(0) + " passed its deadline (unix time " + a.get(1) + ")");
        m("DeadlineNotReached", a -> "deal " + a.get(0) + " cannot be claimed before its deadline (unix time "
                + a.get(1) + ")");
        m("InvalidDigest", a -> "result digest " + a.get(0) + " is reserved and cannot be certified");
        m("CallbackDataMismatch", a -> "callback data of task " + a.get(0) + " hashes to " + a.get(2)
                + ", not to the consensus digest " + a.get(1));
        m("InsufficientStake", a -> "worker " + a.get(0) + " has " + a.get(2) + " bonded in the deal's pool, less than the "
                + a.get(1) + " its contributions must stake: it must bond more there");
        m("InsufficientGasForCallback", a -> "not enough gas left for the callback (" + a.get(0) + " < " + a.get(1)
                + "): raise the gas limit");
        m("WrongPhase", a -> "task " + a.get(0) + " is " + phase(a.get(2)) + ", not " + phase(a.get(1)));
        m("WorkerNotAuthorized", a -> "worker " + a.get(0) + " is not authorized by the scheduler for task " + a.get(1));
        m("AlreadyContributed", a -> "worker " + a.get(0) + " already contributed to task " + a.get(1));
        m("TooManyContributors", a -> "task " + a.get(0) + " has the maximum number of contributors");
        m("EmptyContribution", a -> "a contribution needs a non-zero seal");
        m("NotInConsensus", a -> "worker " + a.get(0) + " is not in the consensus of task " + a.get(1));
        m("AlreadyRevealed", a -> "worker " + a.get(0) + " already revealed for task " + a.get(1));
        m("RevealMismatch", a -> "the digest revealed by " + a.get(0) + " does not match its contribution to task "
                + a.get(1));
        m("RevealDeadlinePassed", a -> "the reveal deadline of task " + a.get(0) + " passed (unix time " + a.get(1) + ")");
        m("RevealsPending", a -> "task " + a.get(0) + " has " + a.get(1) + " of " + a.get(2)
                + " reveals: wait for the others or the reveal deadline");
        m("InsufficientBond", a -> "worker " + a.get(1) + " has " + a.get(3) + " bonded in the pool of " + a.get(0)
                + " but " + a.get(2) + " are needed: bond more there (bondFor)");
        m("BondStillLocked", a -> bondLocked(a));
        m("PoolNotBonded", a -> "workerpool " + a.get(0) + " cannot serve: its owner " + a.get(1) + " has "
                + a.get(2) + " bonded in its own pool, less than " + a.get(3) + ", or asked to unbond: bond at least "
                + a.get(3) + " there");
        m("ContributionsClosed", a -> "contributions to task " + a.get(0) + " closed at unix time " + a.get(1)
                + ": reveal instead, or contribute to another task");
        m("NoContributions", a -> "task " + a.get(0) + " has no contributions to close: wait for a worker to contribute");
        m("NotContributor", a -> "worker " + a.get(0) + " did not contribute to task " + a.get(1)
                + ": only contributors reveal");
        m("NoConsensusReached", a -> "the heaviest revealed result " + a.get(1) + " of task " + a.get(0)
                + " does not reach the deal's trust: wait for more reveals, or claim after the deadline");
        m("BondLeavesBeforeDeadline", a -> "worker " + a.get(0) + " asked to unbond at unix time " + a.get(1)
                + ", before the deal's deadline " + a.get(2) + ": bond again (which cancels the request) to contribute");
        m("CategoryTimeTooLong", a -> "a category's reference time " + a.get(0) + " s is above the maximum "
                + a.get(1) + " s: choose a shorter one");
        m("CallFailed", a -> "the contract account's call failed (reason " + a.get(0) + ")");
        m("Failing", a -> "the probe contract fails on purpose");
        m("Refused", a -> "the consumer contract refused the call");
        m("EmptyBatch", a -> "a batch needs at least one task");
        m("TooManyWorkers", a -> "a batch takes at most 256 workers, not " + a.get(0));
        m("SignatureCountMismatch", a -> a.get(0) + " workers but " + a.get(1) + " signatures");
        m("WorkersNotSorted", a -> "workers must be in strictly increasing address order (position " + a.get(0) + ")");
        m("MalformedTask", a -> "task " + a.get(0) + " of the batch lists digests and voters that do not match");
        m("MalformedBatch", a -> "the batch's tasks, digests, voters and callback data do not fit together");
        m("DuplicateResult", a -> "task " + a.get(0) + " of the batch lists digest " + a.get(1) + " twice");
        m("VoterOutOfRange", a -> "task " + a.get(0) + " of the batch has an empty or out-of-range voter mask");
        m("DoubleVote", a -> "task " + a.get(0) + " of the batch counts a worker twice");
        m("NoConsensus", a -> "result " + a.get(1) + " of task " + a.get(0) + " does not reach the deal's trust");
        m("WorkerWithoutContribution", a -> "worker " + a.get(0) + " is listed but contributed to no task of the batch");
        m("InvalidContribution", a -> "worker " + a.get(0) + " did not sign these contributions (commitment "
                + a.get(1) + ")");
        m("RatioAbove100", a -> "a ratio is a percentage: " + a.get(0) + " is above 100");
        m("NotPoolOwner", a -> "only the owner of workerpool " + a.get(0) + " may change it, not " + a.get(1));
        m("ApiUrlTooLong", a -> "the API URL is " + a.get(0) + " bytes long: at most " + a.get(1) + " are accepted");
        m("SmsUrlTooLong", a -> "the secret service URL is " + a.get(0) + " bytes long: at most " + a.get(1)
                + " are accepted");
        m("OwnableUnauthorizedAccount", a -> "account " + a.get(0) + " is not the owner");
        m("ERC20InsufficientAllowance", a -> "token allowance of " + a.get(0) + " is " + a.get(1) + " but "
                + a.get(2) + " are needed: approve the hub first");
        m("ERC20InsufficientBalance", a -> "account " + a.get(0) + " holds " + a.get(1) + " tokens but " + a.get(2)
                + " are needed");
        m("ERC721NonexistentToken", a -> "asset " + Numeric.toHexStringWithPrefixZeroPadded((BigInteger) a.get(0), 40)
                + " does not exist");
        m("ERC721InvalidReceiver", a -> "asset owner " + a.get(0) + " is a contract that cannot receive ERC-721 "
                + "tokens: implement onERC721Received");
        m("ReentrancyGuardReentrantCall", a -> "reentrant call refused");
        m("OwnableInvalidOwner", a -> "account " + a.get(0) + " cannot own the hub: name a non-zero owner");
        m("SafeCastOverflowedUintDowncast", a -> "amount " + a.get(1) + " does not fit in " + a.get(0)
                + " bits: use a smaller amount");
        m("SafeERC20FailedOperation", a -> "token " + a.get(0) + " refused the transfer: check the balance and allowance");
        m("InvalidShortString", a -> "an EIP-712 name or version is not a valid short string");
        m("StringTooLong", a -> "string \"" + a.get(0) + "\" is too long for a short string");
        m("NotOwner", a -> "account " + a.get(0) + " is not the owner of this contract account");
        // GridConsumer (consumer contracts)
        m("NotHub", a -> "only the hub may deliver results to this consumer, not " + a.get(0));
        m("UnexpectedTask", a -> "task " + a.get(0) + " was not requested by this consumer: its result is refused");
        m("TaskAlreadyDone", a -> "the result of task " + a.get(0) + " was already applied");
        m("TaskNotFinalized", a -> "task " + a.get(0) + " is not finalized yet: settle it once the hub certified it");
        m("InsufficientEscrow", a -> "the consumer contract has " + a.get(1) + " free tokens in the hub but the "
                + "request costs " + a.get(0) + ": its budgets are not backed by its escrow");
        m("NotACallbackDeal", a -> "deal " + a.get(0) + " is unknown or does not name this consumer as callback");
        m("NotDealRequester", a -> "only the deal's requester " + a.get(0) + " may register it, not " + a.get(1));
        m("TooManyTasks", a -> "the deal has " + a.get(0) + " tasks; a consumer registers at most " + a.get(1));
        m("DealRefused", a -> "the consumer refuses deal " + a.get(0));
        m("AppNotPinned", a -> "the offer runs app " + a.get(0) + " but this consumer only runs its pinned app "
                + a.get(1));
        m("PoolNotAccepted", a -> "workerpool " + a.get(0) + " (scheduler " + a.get(1) + ") is not accepted by this "
                + "consumer");
        m("CategoryNotPinned", a -> "the offer is in category " + a.get(0) + " but this consumer's category is "
                + a.get(1));
        m("TrustBelowMinimum", a -> "trust " + a.get(0) + " is below this consumer's minimum trust " + a.get(1));
        m("AppPriceAboveMax", a -> "the app price " + a.get(0) + " is above this consumer's maximum " + a.get(1));
        m("WorkerpoolPriceAboveMax", a -> "the workerpool price " + a.get(0) + " is above this consumer's maximum "
                + a.get(1));
        m("DatasetNotAccepted", a -> "the order names dataset " + a.get(0) + "; this consumer's app takes none");
        m("NotOwnRequest", a -> "a request order the consumer approves must name it as requester and callback and "
                + "name one workerpool (requester " + a.get(0) + ", callback " + a.get(1) + ", workerpool " + a.get(2)
                + ")");
        m("InsufficientBudget", a -> "account " + a.get(0) + " has " + a.get(2) + " tokens in its budget at this "
                + "consumer but needs " + a.get(1) + ": deposit into its own budget first (consumer.deposit)");
        m("ZeroDeposit", a -> "deposits of zero tokens are refused");
        m("AlreadyApproved", a -> "request order " + a.get(0) + " is already approved");
        m("NotApprover", a -> "only " + a.get(1) + ", who approved request order " + a.get(0) + ", may revoke it, not "
                + a.get(2));
        m("NotRefundable", a -> "task " + a.get(0) + " is not pending here or was not refunded (claimed) by the hub");
        m("InsufficientSurplus", a -> "the consumer's surplus holds " + a.get(1) + " tokens, fewer than " + a.get(0));
        // ChessGame (the chess example)
        m("UnknownGame", a -> "there is no game " + a.get(0));
        m("NotYourTurn", a -> a.get(1) + " is not the player to move in game " + a.get(0));
        m("GameNotAwaitingMove", a -> "game " + a.get(0) + " takes no move now (" + gameState(a.get(1)) + ")");
        m("NoPendingMove", a -> "game " + a.get(0) + " has no move waiting for a verdict (" + gameState(a.get(1)) + ")");
        m("InvalidMove", a -> "move " + a.get(0) + " is not from | to << 6 | promotion << 12");
        m("InvalidPosition", a -> "not a chess position: a square holds no piece (nibble 7, 8 or 15) or the flags "
                + a.get(1) + " are out of range");
        m("StaleVerdict", a -> "task " + a.get(0) + " does not decide the game's pending move");
        m("VerdictStillPossible", a -> "the verdict on game " + a.get(0) + "'s pending move (task " + a.get(1)
                + ") may still come: resubmit only once the task was claimed after its deadline");
    }

    private static void m(String name, Function<List<Object>, String> message) {
        MESSAGES.put(name, message);
    }

    private static String kind(Object v) {
        int i = ((BigInteger) v).intValue();
        return i < ORDER_KINDS.length ? ORDER_KINDS[i] : "order#" + i;
    }

    /** The party an order kind stands for: a request order stands for its requester. */
    private static String party(Object v) {
        String kind = kind(v);
        return kind.equals("request") ? "requester" : kind;
    }

    private static final String[] GAME_STATES = {"no game", "awaiting a move", "awaiting gridchain's verdict",
        "white won", "black won", "drawn"};

    private static String gameState(Object v) {
        int i = ((BigInteger) v).intValue();
        return i < GAME_STATES.length ? GAME_STATES[i] : "state#" + i;
    }

    private static String bondLocked(List<Object> a) {
        String who = "the bond of " + a.get(1) + " in the pool of " + a.get(0);
        if (BigInteger.ZERO.equals(a.get(2))) return who + " cannot leave: request the unbond first (requestUnbond)";
        return who + " may leave only from unix time " + a.get(2) + ": wait until then";
    }

    private static String phase(Object v) {
        int i = ((BigInteger) v).intValue();
        return i < PHASES.length ? PHASES[i] : "phase#" + i;
    }

    /**
     * The error a node answered to a call, an estimate or a transaction: decoded when it carries revert
     * data, else "Rejected" with the node's message. {@code rawData} is the error's {@code data} as raw
     * JSON, as web3j hands it over. Never throws.
     */
    public static RevertException decodeRpcError(String message, String rawData) {
        String data = revertData(rawData);
        if (data != null && data.startsWith("0x") && data.length() >= 10) return decode(data);
        return new RevertException("Rejected", message);
    }

    /**
     * The revert data (0x-hex) in a JSON-RPC error's {@code data}: a string on geth and anvil, an object
     * whose {@code data} field is that string on Hardhat's EDR; null when there is none.
     */
    public static String revertData(String rawJson) {
        if (rawJson == null) return null;
        String data = rawJson.strip();
        if (data.startsWith("{")) {
            try {
                JsonNode inner = new ObjectMapper().readTree(data).get("data");
                return inner != null && inner.isTextual() ? inner.asText() : null;
            } catch (IOException e) {
                return null;
            }
        }
        return data.replace("\"", "");
    }

    /** Decodes revert data (0x-hex); never throws. */
    public static RevertException decode(String data) {
        if (data == null || data.length() < 10) {
            return new RevertException("Unknown", "transaction reverted without a reason");
        }
        String selector = data.substring(0, 10).toLowerCase();
        String body = "0x" + data.substring(10);
        try {
            if (selector.equals("0x08c379a0")) {
                List<Type> v = FunctionReturnDecoder.decode(body, List.of(TypeReference.makeTypeReference("string")));
                return new RevertException("Error", String.valueOf(v.get(0).getValue()));
            }
            if (selector.equals("0x4e487b71")) {
                List<Type> v = FunctionReturnDecoder.decode(body, List.of(TypeReference.makeTypeReference("uint256")));
                return new RevertException("Panic", "contract panic 0x" + ((BigInteger) v.get(0).getValue()).toString(16));
            }
            ErrorDef def = selectors().get(selector);
            if (def == null) return new RevertException("Unknown", "transaction reverted with unknown error " + selector);
            List<TypeReference<Type>> refs = new ArrayList<>();
            for (String t : def.types()) refs.add(TypeReference.makeTypeReference(t));
            List<Object> args = new ArrayList<>();
            for (Type value : FunctionReturnDecoder.decode(body, refs)) args.add(render(value));
            Function<List<Object>, String> message = MESSAGES.get(def.name());
            return new RevertException(def.name(), message != null ? message.apply(args) : def.name() + args);
        } catch (RuntimeException | ClassNotFoundException e) {
            return new RevertException("Unknown", "transaction reverted with undecodable data " + data);
        }
    }

    private static Object render(Type value) {
        Object v = value.getValue();
        if (v instanceof byte[] bytes) return Numeric.toHexString(bytes);
        return v;
    }

    private static Map<String, ErrorDef> selectors() {
        Map<String, ErrorDef> map = bySelector;
        if (map != null) return map;
        map = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String contract : CONTRACTS) {
            try (InputStream in = RevertDecoder.class.getResourceAsStream("/io/gridchain/contracts/" + contract + ".json")) {
                if (in == null) continue;
                for (JsonNode item : json.readTree(in).get("abi")) {
                    if (!"error".equals(item.path("type").asText())) continue;
                    List<String> types = new ArrayList<>();
                    for (JsonNode input : item.get("inputs")) types.add(input.get("type").asText());
                    String signature = item.get("name").asText() + "(" + String.join(",", types) + ")";
                    String selector = Hash.sha3String(signature).substring(0, 10);
                    map.put(selector, new ErrorDef(item.get("name").asText(), types));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        bySelector = map;
        return map;
    }

    private RevertDecoder() {}
}
