package io.gridchain.protocol.orders;

import io.gridchain.protocol.abi.Words;
import java.math.BigInteger;

/** An app owner's offer to have its app run, mirrored field for field on Orders.AppOrder. */
public record AppOrder(
        String app,
        BigInteger price,
        BigInteger volume,
        String tag,
        String datasetRestrict,
        String workerpoolRestrict,
        String requesterRestrict,
        BigInteger expiry,
        String salt) implements Order {

    static final byte[] TYPEHASH = Words.keccak("AppOrder(address app,uint256 price,uint256 volume,bytes32 tag,"
            + "address datasetRestrict,address workerpoolRestrict,address requesterRestrict,uint256 expiry,bytes32 salt)");

    /** An unrestricted, non-expiring order with no tags and a random salt. */
    public static AppOrder of(String app, long price, long volume) {
        return new AppOrder(app, BigInteger.valueOf(price), BigInteger.valueOf(volume), Words.ZERO_BYTES32,
                Words.ZERO_ADDRESS, Words.ZERO_ADDRESS, Words.ZERO_ADDRESS, BigInteger.ZERO, Salts.random());
    }

    @Override
    public Kind kind() {
        return Kind.APP;
    }

    @Override
    public byte[] structHash() {
        return Words.of().bytes32(TYPEHASH).address(app).uint(price).uint(volume).bytes32(tag)
                .address(datasetRestrict).address(workerpoolRestrict).address(requesterRestrict)
                .uint(expiry).bytes32(salt).keccak();
    }

    public AppOrder withTag(String tag) {
        return new AppOrder(app, price, volume, tag, datasetRestrict, workerpoolRestrict, requesterRestrict, expiry, salt);
    }

    public AppOrder withRestrictions(String dataset, String workerpool, String requester) {
        return new AppOrder(app, price, volume, tag, dataset, workerpool, requester, expiry, salt);
    }

    public AppOrder withExpiry(long unixTime) {
        return new AppOrder(app, price, volume, tag, datasetRestrict, workerpoolRestrict, requesterRestrict,
                BigInteger.valueOf(unixTime), salt);
    }
}
