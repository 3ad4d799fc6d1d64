package io.gridchain.protocol.abi;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * ABI words as Solidity's {@code abi.encode} lays them out, for hashing exactly what the
 * contracts hash. Addresses and bytes32 values travel as 0x-prefixed hex strings.
 */
public final class Words {
    public static final String ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
    public static final String ZERO_BYTES32 = "0x" + "0".repeat(64);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public static Words of() {
        return new Words();
    }

    public Words address(String address) {
        return uint(Numeric.toBigInt(address));
    }

    public Words uint(BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > 256) {
            throw new IllegalArgumentException("not a uint256: " + value);
        }
        out.writeBytes(Numeric.toBytesPadded(value, 32));
        return this;
    }

    public Words uint(long value) {
        return uint(BigInteger.valueOf(value));
    }

    public Words bytes32(String hex) {
        out.writeBytes(toBytes32(hex));
        return this;
    }

    public Words bytes32(byte[] value) {
        if (value.length != 32) throw new IllegalArgumentException("bytes32 needs 32 bytes, got " + value.length);
        out.writeBytes(value);
        return this;
    }

    /** EIP-712 encodes dynamic strings and bytes as the keccak of their contents. */
    public Words stringHash(String value) {
        return bytes32(Hash.sha3(value.getBytes(StandardCharsets.UTF_8)));
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    public byte[] keccak() {
        return Hash.sha3(bytes());
    }

    public String keccakHex() {
        return Numeric.toHexString(keccak());
    }

    public static byte[] keccak(String text) {
        return Hash.sha3(text.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] toBytes32(String hex) {
        byte[] raw = Numeric.hexStringToByteArray(hex);
        if (raw.length != 32) throw new IllegalArgumentException("not a bytes32: " + hex);
        return raw;
    }

    public static String hex(byte[] value) {
        return Numeric.toHexString(value);
    }

    /** Canonical form of an address: lower-case, 0x-prefixed, 40 hex digits. */
    public static String canonical(String address) {
        String clean = Numeric.cleanHexPrefix(address);
        if (clean.length() != 40 || !clean.chars().allMatch(HexFormat::isHexDigit)) {
            throw new IllegalArgumentException("not an address: " + address);
        }
        return "0x" + clean.toLowerCase();
    }

    /** A bytes32 value whose low bits are {@code value}, as used for tags and salts. */
    public static String bytes32(BigInteger value) {
        return Numeric.toHexStringWithPrefixZeroPadded(value, 64);
    }

    private Words() {}
}
