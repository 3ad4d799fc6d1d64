package io.gridchain.cli.config;

import io.gridchain.cli.UserError;
import io.gridchain.cli.wallet.Keystore;
import io.gridchain.cli.wallet.Passwords;
import io.gridchain.contracts.GridHub;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.chain.ChainClient;
import io.gridchain.protocol.chain.FeePolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * What a command acts with, resolved lazily from the {@link Settings}: the node connection,
 * the deployment and the unlocked wallet. Each is set up on first use only, so a command that
 * only reads a balance never asks for a password and a command that fails on its input never
 * touches the network.
 */
public final class Context implements AutoCloseable {
    private final Settings settings;
    private ChainClient chain;
    private Protocol protocol;
    private Credentials credentials;

    public Context(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** True when a node URL is configured. */
    public boolean hasChain() {
        return settings.rpc() != null;
    }

    /** True when a node URL and a hub address are configured. */
    public boolean hasProtocol() {
        return settings.rpc() != null && settings.hub() != null;
    }

    /** The node connection; a node that does not answer fails with exit code 3. */
    public ChainClient chain() {
        if (chain == null) {
            if (settings.rpc() == null) throw noChain();
            FeePolicy fees = settings.feePolicy(); // a bad fee flag fails before the network is touched
            chain = ChainClient.connect(settings.rpc().value(), fees);
            Profile p = settings.profile();
            if (p != null && p.chainId() != null && p.chainId() != chain.chainId()
                    && (settings.rpc().source().startsWith("profile ") || settings.hubFromProfile())) {
                throw UserError.usage("the node at " + chain.rpcUrl() + " is chain " + chain.chainId() + " but profile '"
                        + settings.profileName().value() + "' is for chain " + p.chainId()
                        + ": pick the right --profile or --rpc");
            }
        }
        return chain;
    }

    /** The deployment: the profile's addresses, or those the hub reports when only the hub is known. */
    public Protocol protocol() {
        if (protocol == null) {
            if (settings.rpc() == null) throw noChain();
            if (settings.hub() == null) throw noContracts();
            ChainClient c = chain();
            String hub = settings.hub().value();
            try {
                String code = c.web3j().ethGetCode(hub, DefaultBlockParameterName.LATEST).send().getCode();
                if (code == null || code.equals("0x")) {
                    throw UserError.failure("no gridchain hub at " + hub + " (" + settings.hub().source() + ") on chain "
                            + c.chainId() + " at " + c.rpcUrl() + ": " + (onDevnet()
                                    ? "if the devnet was restarted run `gridchain devnet up`"
                                    : "deploy with `gridchain deploy`, or `gridchain config set hub 0x…`"));
                }
                Protocol.Addresses addresses = settings.hubFromProfile()
                        ? settings.profile().addresses().orElse(null) : null;
                if (addresses == null) {
                    GridHub h = GridHub.load(hub, c.web3j(), new ReadonlyTransactionManager(c.web3j(), hub),
                            new DefaultGasProvider());
                    addresses = new Protocol.Addresses(h.token().send(), hub, h.apps().send(), h.datasets().send(),
                            h.workerpools().send());
                }
                protocol = Protocol.at(c, addresses);
            } catch (IOException e) {
                throw new UncheckedIOException("RPC failure at " + c.rpcUrl() + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return protocol;
    }

    /** The configured wallet's file; it must exist. */
    public Path walletFile() {
        Path file = settings.walletFile();
        if (file == null) {
            throw UserError.usage("no wallet: run `gridchain wallet create` or `gridchain wallet import`, or pass --wallet FILE");
        }
        if (!Files.isRegularFile(file)) {
            throw UserError.usage("no such wallet file: " + file + " (" + settings.wallet().source() + ")");
        }
        return file;
    }

    /** The wallet's address, read from its keystore without the password. */
    public String walletAddress() {
        return Keystore.addressOf(walletFile());
    }

    /** The unlocked wallet; asks for the password at most once. */
    public Credentials credentials() {
        if (credentials == null) {
            Path file = walletFile();
            String address = Keystore.addressOf(file);
            String password = Passwords.forUnlock(settings, address);
            credentials = Keystore.unlock(file, password);
        }
        return credentials;
    }

    /** The wallet acting on the deployment. */
    public GridClient client() {
        Credentials signer = credentials(); // the password first, then the network
        return protocol().as(signer);
    }

    /** A read-only view of the deployment (a throwaway key: only for calls, never for transactions). */
    public GridClient reader() {
        return protocol().as(Credentials.create("0x1"));
    }

    private boolean onDevnet() {
        return settings.profileName() != null && "devnet".equals(settings.profileName().value());
    }

    private UserError noChain() {
        String where = settings.profileName() == null
                ? "no profile is selected in " + settings.configFile()
                : settings.profile() == null
                        ? "no profile '" + settings.profileName().value() + "' in " + settings.configFile()
                        : "profile '" + settings.profileName().value() + "' has no rpc";
        return UserError.usage("no chain configured (" + where + "): run `gridchain devnet up`, or "
                + "`gridchain config set rpc URL` and `gridchain config set hub 0x…`");
    }

    private UserError noContracts() {
        String where = settings.profileName() == null ? "no profile is selected"
                : settings.profile() == null ? "no profile '" + settings.profileName().value() + "'"
                : "profile '" + settings.profileName().value() + "' has no hub address";
        return UserError.usage("no gridchain contracts configured (" + where + "): run `gridchain devnet up`, "
                + "`gridchain deploy --rpc URL --dev-token`, or `gridchain config set hub 0x…`");
    }

    @Override
    public void close() {
        if (chain != null) chain.close();
    }
}
