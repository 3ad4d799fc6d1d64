package io.gridchain.protocol.orders;

import io.gridchain.protocol.abi.Words;
import org.web3j.crypto.Credentials;

/** One of the four marketplace orders: hashed and signed as EIP-712 typed data, exactly as the hub hashes it. */
public sealed interface Order permits AppOrder, DatasetOrder, WorkerpoolOrder, RequestOrder {
    enum Kind {
        APP, DATASET, WORKERPOOL, REQUEST;

        /** Lower-case name as used in messages, e.g. "workerpool". */
        public String label() {
            return name().toLowerCase();
        }
    }

    Kind kind();

    /** The EIP-712 struct hash, which is also the order's on-chain identifier. */
    byte[] structHash();

    default String hash() {
        return Words.hex(structHash());
    }

    /** Signs the order for {@code domain} with {@code signer}'s key. */
    default byte[] sign(Eip712Domain domain, Credentials signer) {
        return Signing.sign(domain.digest(structHash()), signer);
    }
}
