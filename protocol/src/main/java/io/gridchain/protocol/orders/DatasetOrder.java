package io.gridchain.protocol.orders;

import io.gridchain.protocol.abi.Words;
import java.math.BigInteger;

/** A dataset owner's offer to let its data be used, mirrored on Orders.DatasetOrder. */
public record DatasetOrder(
        String dataset,
        BigInteger price,
        BigInteger volume,
        String tag,
        String appRestrict,
        String workerpoolRestrict,
        String requesterRestrict,
        BigInteger expiry,
        String salt) implements Order {

    static final byte[] TYPEHASH = Words.keccak("DatasetOrder(address dataset,uint256 price,uint256 volume,bytes32 tag,"
            + "address appRestrict,address workerpoolRestrict,address requesterRestrict,uint256 expiry,bytes32 salt)");

    /** The empty order passed to matching when a request uses no dataset. */
    public static final DatasetOrder NONE = new DatasetOrder(Words.ZERO_ADDRESS, BigInteger.ZERO, BigInteger.ZERO,
            Words.ZERO_BYTES32, Words.ZERO_ADDRESS, Words.ZERO_ADDRESS, Words.ZERO_ADDRESS, BigInteger.ZERO,
            Words.ZERO_BYTES32);

    public static DatasetOrder of(String dataset, long price, long volume) {
        return new DatasetOrder(dataset, BigInteger.valueOf(price), BigInteger.valueOf(volume), Words.ZERO_BYTES32,
                Words.ZERO_ADDRESS, Words.ZERO_ADDRESS, Words.ZERO_ADDRESS, BigInteger.ZERO, Salts.random());
    }

    @Override
    public Kind kind() {
        return Kind.DATASET;
    }

    @Override
    public byte[] structHash() {
        return Words.of().bytes32(TYPEHASH).address(dataset).uint(price).uint(volume).bytes32(tag)
                .address(appRestrict).address(workerpoolRestrict).address(requesterRestrict)
                .uint(expiry).bytes32(salt).keccak();
    }

    public DatasetOrder withRestrictions(String app, String workerpool, String requester) {
        return new DatasetOrder(dataset, price, volume, tag, app, workerpool, requester, expiry, salt);
    }

    public DatasetOrder withExpiry(long unixTime) {
        return new DatasetOrder(dataset, price, volume, tag, appRestrict, workerpoolRestrict, requesterRestrict,
                BigInteger.valueOf(unixTime), salt);
    }
}
