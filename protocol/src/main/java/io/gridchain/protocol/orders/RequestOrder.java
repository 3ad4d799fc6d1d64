package io.gridchain.protocol.orders;

import io.gridchain.protocol.abi.Words;
import java.math.BigInteger;

/** A requester's demand, with maximum prices, mirrored on Orders.RequestOrder. */
public record RequestOrder(
        String app,
        BigInteger appMaxPrice,
        String dataset,
        BigInteger datasetMaxPrice,
        String workerpool,
        BigInteger workerpoolMaxPrice,
        String requester,
        BigInteger volume,
        String tag,
        BigInteger category,
        BigInteger trust,
        String beneficiary,
        String callback,
        String params,
        BigInteger expiry,
        String salt) implements Order {

    static final byte[] TYPEHASH = Words.keccak("RequestOrder(address app,uint256 appMaxPrice,address dataset,"
            + "uint256 datasetMaxPrice,address workerpool,uint256 workerpoolMaxPrice,address requester,uint256 volume,"
            + "bytes32 tag,uint256 category,uint256 trust,address beneficiary,address callback,string params,"
            + "uint256 expiry,bytes32 salt)");

    /** A request for {@code volume} runs of {@code app} on any pool, without dataset or callback. */
    public static RequestOrder of(String requester, String app, long appMaxPrice, long workerpoolMaxPrice,
            long volume, long category, long trust) {
        return new RequestOrder(app, BigInteger.valueOf(appMaxPrice), Words.ZERO_ADDRESS, BigInteger.ZERO,
                Words.ZERO_ADDRESS, BigInteger.valueOf(workerpoolMaxPrice), requester, BigInteger.valueOf(volume),
                Words.ZERO_BYTES32, BigInteger.valueOf(category), BigInteger.valueOf(trust), Words.ZERO_ADDRESS,
                Words.ZERO_ADDRESS, "", BigInteger.ZERO, Salts.random());
    }

    @Override
    public Kind kind() {
        return Kind.REQUEST;
    }

    @Override
    public byte[] structHash() {
        return Words.of().bytes32(TYPEHASH).address(app).uint(appMaxPrice).address(dataset).uint(datasetMaxPrice)
                .address(workerpool).uint(workerpoolMaxPrice).address(requester).uint(volume).bytes32(tag)
                .uint(category).uint(trust).address(beneficiary).address(callback).stringHash(params)
                .uint(expiry).bytes32(salt).keccak();
    }

    public RequestOrder withDataset(String dataset, long maxPrice) {
        return new RequestOrder(app, appMaxPrice, dataset, BigInteger.valueOf(maxPrice), workerpool,
                workerpoolMaxPrice, requester, volume, tag, category, trust, beneficiary, callback, params, expiry,
                salt);
    }

    public RequestOrder withWorkerpool(String workerpool) {
        return new RequestOrder(app, appMaxPrice, dataset, datasetMaxPrice, workerpool, workerpoolMaxPrice,
                requester, volume, tag, category, trust, beneficiary, callback, params, expiry, salt);
    }

    public RequestOrder withCallback(String callback) {
        return new RequestOrder(app, appMaxPrice, dataset, datasetMaxPrice, workerpool, workerpoolMaxPrice,
                requester, volume, tag, category, trust, beneficiary, callback, params, expiry, salt);
    }

    public RequestOrder withParams(String params) {
        return new RequestOrder(app, appMaxPrice, dataset, datasetMaxPrice, workerpool, workerpoolMaxPrice,
                requester, volume, tag, category, trust, beneficiary, callback, params, expiry, salt);
    }

    public RequestOrder withTag(String tag) {
        return new RequestOrder(app, appMaxPrice, dataset, datasetMaxPrice, workerpool, workerpoolMaxPrice,
                requester, volume, tag, category, trust, beneficiary, callback, params, expiry, salt);
    }

    public RequestOrder withBeneficiary(String beneficiary) {
        return new RequestOrder(app, appMaxPrice, dataset, datasetMaxPrice, workerpool, workerpoolMaxPrice,
                requester, volume, tag, category, trust, beneficiary, callback, params, expiry, salt);
    }

    public RequestOrder withExpiry(long unixTime) {
        return new RequestOrder(app, appMaxPrice, dataset, datasetMaxPrice, workerpool, workerpoolMaxPrice,
                requester, volume, tag, category, trust, beneficiary, callback, params, BigInteger.valueOf(unixTime),
                salt);
    }
}
