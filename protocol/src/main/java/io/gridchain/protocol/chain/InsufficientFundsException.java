package io.gridchain.protocol.chain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/** The sending account cannot pay for a transaction's gas (and value): says who, how much it has and needs. */
public class InsufficientFundsException extends RuntimeException {
    private static final BigDecimal WEI_PER_ETH = BigDecimal.TEN.pow(18);

    private final String account;
    private final BigInteger balance;
    private final BigInteger maxCost;

    public InsufficientFundsException(String account, BigInteger balance, BigInteger maxCost) {
        super(message(account, balance, maxCost));
        this.account = account;
        this.balance = balance;
        this.maxCost = maxCost;
    }

    private static String message(String account, BigInteger balance, BigInteger maxCost) {
        BigInteger shortfall = maxCost.subtract(balance).max(BigInteger.ONE);
        // rounded up so that sending the amount shown is always enough
        String send = new BigDecimal(shortfall).divide(WEI_PER_ETH).setScale(6, RoundingMode.CEILING)
                .stripTrailingZeros().toPlainString();
        return "account " + account.toLowerCase() + " has " + eth(balance) + " ETH but this transaction may cost up to "
                + eth(maxCost) + " ETH (gas limit x max fee + value): send it at least " + send + " ETH";
    }

    /** Wei as ETH, exact, without trailing zeros ("0.0042"). */
    public static String eth(BigInteger wei) {
        return new BigDecimal(wei).divide(WEI_PER_ETH).stripTrailingZeros().toPlainString();
    }

    public String account() {
        return account;
    }

    public BigInteger balance() {
        return balance;
    }

    public BigInteger maxCost() {
        return maxCost;
    }

    public BigInteger shortfall() {
        return maxCost.subtract(balance).max(BigInteger.ZERO);
    }
}
