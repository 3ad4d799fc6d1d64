package io.gridchain.protocol.orders;

import io.gridchain.protocol.abi.Words;
import java.math.BigInteger;

/** A scheduler's offer of its pool's capacity, mirrored on Orders.WorkerpoolOrder. */
public record WorkerpoolOrder(
        String workerpool,
        BigInteger price,
        BigInteger volume,
        String tag,
        BigInteger category,
        BigInteger trust,
        String appRestrict,
        String datasetRestrict,
        String requesterRestrict,
        BigInteger expiry,
        String salt) implements Order {

    static final byte[] TYPEHASH = Words.keccak("WorkerpoolOrder(address workerpool,uint256 price,uint256 volume,"
            + "bytes32 tag,uint256 category,uint256 trust,address appRestrict,address datasetRestrict,"
            + "address requesterRestrict,uint256 expiry,bytes32 salt)");

    public static WorkerpoolOrder of(String workerpool, long price, long volume, long category, long trust) {
        return new WorkerpoolOrder(workerpool, BigInteger.valueOf(price), BigInteger.valueOf(volume),
                Words.ZERO_BYTES32, BigInteger.valueOf(category), BigInteger.valueOf(trust), Words.ZERO_ADDRESS,
                Words.ZERO_ADDRESS, Words.ZERO_ADDRESS, BigInteger.ZERO, Salts.random());
    }

    @Override
    public Kind kind() {
        return Kind.WORKERPOOL;
    }

    @Override
    public byte[] structHash() {
        return Words.of().bytes32(TYPEHASH).address(workerpool).uint(price).uint(volume).bytes32(tag)
                .uint(category).uint(trust).address(appRestrict).address(datasetRestrict)
                .address(requesterRestrict).uint(expiry).bytes32(salt).keccak();
    }

    public WorkerpoolOrder withTag(String tag) {
        return new WorkerpoolOrder(workerpool, price, volume, tag, category, trust, appRestrict, datasetRestrict,
                requesterRestrict, expiry, salt);
    }

    public WorkerpoolOrder withRestrictions(String app, String dataset, String requester) {
        return new WorkerpoolOrder(workerpool, price, volume, tag, category, trust, app, dataset, requester, expiry,
                salt);
    }

    public WorkerpoolOrder withExpiry(long unixTime) {
        return new WorkerpoolOrder(workerpool, price, volume, tag, category, trust, appRestrict, datasetRestrict,
                requesterRestrict, BigInteger.valueOf(unixTime), salt);
    }
}
