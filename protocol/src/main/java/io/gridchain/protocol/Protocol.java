package io.gridchain.protocol;

import io.gridchain.contracts.AppRegistry;
import io.gridchain.contracts.DatasetRegistry;
import io.gridchain.contracts.DevToken;
import io.gridchain.contracts.GridHub;
import io.gridchain.contracts.GridHubExtension;
import io.gridchain.contracts.WorkerpoolRegistry;
import io.gridchain.protocol.chain.ChainClient;
import io.gridchain.protocol.chain.TxSender;
import io.gridchain.protocol.orders.Eip712Domain;
import java.math.BigInteger;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.tx.gas.DefaultGasProvider;

/** A gridchain deployment on a chain: the contract addresses, and the clients acting on them. */
public final class Protocol {
    /**
     * The least a pool's owner keeps bonded in its own pool to make deals on a hub deployed here. A protocol floor
     * (any bond at all), kept low so that development networks need no tuning; requesters choose their own,
     * higher minimum when they pick a pool.
     */
    public static final BigInteger MIN_POOL_BOND = BigInteger.ONE;

    /** Where the contracts live. */
    public record Addresses(String token, String hub, String apps, String datasets, String workerpools) {}

    private final ChainClient chain;
    private final Addresses addresses;
    private final Eip712Domain domain;

    private Protocol(ChainClient chain, Addresses addresses) {
        this.chain = chain;
        this.addresses = addresses;
        this.domain = new Eip712Domain(chain.chainId(), addresses.hub());
    }

    /** Connects to contracts that are already deployed. */
    public static Protocol at(ChainClient chain, Addresses addresses) {
        return new Protocol(chain, addresses);
    }

    /** Deploys a development token, the registries and the hub, owned by {@code deployer}. */
    public static Protocol deploy(ChainClient chain, Credentials deployer) {
        TxSender tx = chain.sender(deployer);
        try {
            DefaultGasProvider gas = new DefaultGasProvider();
            String token = DevToken.deploy(chain.web3j(), tx, gas, deployer.getAddress()).send().getContractAddress();
            return deploy(chain, deployer, token);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("deployment failed: " + e.getMessage(), e);
        }
    }

    /** Deploys the registries and the hub using an existing ERC-20 {@code token} as the currency. */
    public static Protocol deploy(ChainClient chain, Credentials deployer, String token) {
        TxSender tx = chain.sender(deployer);
        try {
            DefaultGasProvider gas = new DefaultGasProvider();
            String apps = AppRegistry.deploy(chain.web3j(), tx, gas).send().getContractAddress();
            String datasets = DatasetRegistry.deploy(chain.web3j(), tx, gas).send().getContractAddress();
            String pools = WorkerpoolRegistry.deploy(chain.web3j(), tx, gas).send().getContractAddress();
            String owner = deployer.getAddress();
            String extension = GridHubExtension.deploy(chain.web3j(), tx, gas, token, apps, datasets, pools, owner,
                    MIN_POOL_BOND).send().getContractAddress();
            String hub = GridHub.deploy(chain.web3j(), tx, gas, token, apps, datasets, pools, owner, MIN_POOL_BOND,
                    extension).send().getContractAddress();
            return new Protocol(chain, new Addresses(token, hub, apps, datasets, pools));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("deployment failed: " + e.getMessage(), e);
        }
    }

    /** Mints development tokens to each account (only the DevToken owner can). */
    public void mint(Credentials tokenOwner, List<String> accounts, BigInteger amount) {
        DevToken token = DevToken.load(addresses.token(), chain.web3j(), chain.sender(tokenOwner), new DefaultGasProvider());
        for (String account : accounts) {
            GridClient.call(() -> token.mint(account, amount).send());
        }
    }

    public GridClient as(Credentials credentials) {
        return new GridClient(this, chain.sender(credentials));
    }

    public ChainClient chain() {
        return chain;
    }

    public Addresses addresses() {
        return addresses;
    }

    public Eip712Domain domain() {
        return domain;
    }
}
