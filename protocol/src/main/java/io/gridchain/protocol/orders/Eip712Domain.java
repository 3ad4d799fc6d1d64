package io.gridchain.protocol.orders;

import io.gridchain.protocol.abi.Words;
import java.io.ByteArrayOutputStream;
import org.web3j.crypto.Hash;

/** The hub's EIP-712 domain: name "Gridchain", version "1", the chain id and the hub address. */
public record Eip712Domain(long chainId, String hub) {
    public static final String NAME = "Gridchain";
    public static final String VERSION = "1";
    private static final byte[] DOMAIN_TYPEHASH =
            Words.keccak("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

    public byte[] separator() {
        return Words.of()
                .bytes32(DOMAIN_TYPEHASH)
                .stringHash(NAME)
                .stringHash(VERSION)
                .uint(chainId)
                .address(hub)
                .keccak();
    }

    /** The digest a signer signs for a struct with hash {@code structHash}. */
    public byte[] digest(byte[] structHash) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(66);
        out.write(0x19);
        out.write(0x01);
        out.writeBytes(separator());
        out.writeBytes(structHash);
        return Hash.sha3(out.toByteArray());
    }
}
