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

/**
 * The embedded local network's on-chain half: anvil, the contracts deployed by dev account 0,
 * and every dev account funded with development tokens.
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

    /** Starts with extra anvil flags, e.g. {@code --steps-tracing} for opcode-level gas profiles. */
    public static LocalProtocol start(List<String> anvilArgs) {
        LocalChain anvil = LocalChain.start(anvilArgs);
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

    /** The 10 funded dev accounts; account 0 deployed the contracts and owns the hub. */
    public List<Credentials> accounts() {
        return accounts;
    }

    public GridClient client(int account) {
        return protocol.as(accounts.get(account));
    }

    /** Moves the chain's clock forward and mines a block, to reach deadlines in tests and demos. */
    public void advanceTime(long seconds) {
        try {
            new Request<>("evm_increaseTime", List.of(seconds), new org.web3j.protocol.http.HttpService(anvil.rpcUrl()),
                    VoidResponse.class).send();
            new Request<>("evm_mine", List.of(), new org.web3j.protocol.http.HttpService(anvil.rpcUrl()),
                    VoidResponse.class).send();
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
