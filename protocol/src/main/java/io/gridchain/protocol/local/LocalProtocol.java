package io.gridchain.protocol.local;

import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.chain.ChainClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The embedded local network's on-chain half: a local chain (anvil unless {@value EvmNode#PROPERTY}
 * says otherwise), the contracts deployed by dev account 0, and every dev account funded with
 * development tokens.
 */
public final class LocalProtocol implements AutoCloseable {
    /** Tokens minted to each dev account: 10^24 base units. */
    public static final BigInteger DEV_FUNDS = BigInteger.TEN.pow(24);

    private final LocalChain anvil;
    private final ChainClient chain;
    private final Protocol protocol;
    private final List<Credentials> accounts;

    private LocalProtocol(LocalChain anvil, ChainClient chain, Protocol protocol, List<Credentials> accounts) {
        this.anvil = anvil;
        this.chain = chain;
        this.protocol = protocol;
        this.accounts = accounts;
    }

    public static LocalProtocol start() {
        return start(List.of());
    }

    /** Starts with extra node flags, e.g. anvil's {@code --steps-tracing} for opcode-level gas profiles. */
    public static LocalProtocol start(List<String> anvilArgs) {
        return start(EvmNode.selected(), anvilArgs);
    }

    /** Starts on {@code node}, whatever {@value EvmNode#PROPERTY} says. */
    public static LocalProtocol start(EvmNode node, List<String> nodeArgs) {
        LocalChain anvil = LocalChain.start(node, nodeArgs);
        ChainClient chain = null;
        try {
            chain = ChainClient.connect(anvil.rpcUrl());
            List<Credentials> accounts = anvil.devPrivateKeys().stream().map(Credentials::create).toList();
            Protocol protocol = Protocol.deploy(chain, accounts.get(0));
            protocol.mint(accounts.get(0), accounts.stream().map(Credentials::getAddress).toList(), DEV_FUNDS);
            return new LocalProtocol(anvil, chain, protocol, accounts);
        } catch (RuntimeException e) {
            if (chain != null) chain.close();
            anvil.close();
            throw e;
        }
    }

    public Protocol protocol() {
        return protocol;
    }

    public ChainClient chain() {
        return chain;
    }

    public String rpcUrl() {
        return anvil.rpcUrl();
    }

    /** Which EVM implementation the chain runs. */
    public EvmNode evm() {
        return anvil.node();
    }

    /** The 10 funded dev accounts; account 0 deployed the contracts and owns the hub. */
    public List<Credentials> accounts() {
        return accounts;
    }

    public GridClient client(int account) {
        return protocol.as(accounts.get(account));
    }

    /**
     * Moves the chain's clock forward and mines a block, to reach deadlines in tests and demos
     * ({@code evm_increaseTime} and {@code evm_mine}: anvil and Hardhat's EDR both have them).
     */
    public void advanceTime(long seconds) {
        devRpc("evm_increaseTime", List.of(seconds));
        devRpc("evm_mine", List.of());
    }

    /**
     * Sets an account's ETH balance. Hardhat's name for it, which anvil also answers (its own
     * {@code anvil_setBalance} is unknown to Hardhat's EDR).
     */
    public void setBalance(String address, BigInteger wei) {
        devRpc("hardhat_setBalance", List.of(address, Numeric.toHexStringWithPrefix(wei)));
    }

    /** Puts {@code code} (0x-hex runtime bytecode) at {@code address}: {@code hardhat_setCode}, as above. */
    public void setCode(String address, String code) {
        devRpc("hardhat_setCode", List.of(address, code));
    }

    /** A development-only JSON-RPC call; a node that refuses it is a broken test setup, so it throws. */
    private void devRpc(String method, List<?> params) {
        try {
            VoidResponse r = new Request<>(method, params, new HttpService(anvil.rpcUrl()), VoidResponse.class).send();
            if (r.hasError()) {
                throw new IllegalStateException(method + " failed on " + anvil.node().name() + ": "
                        + r.getError().getMessage());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        chain.close();
        anvil.close();
    }
}
