package io.gridchain.cli.account;

import java.math.BigInteger;
import picocli.CommandLine;

/** A positive whole number of token base units, e.g. {@code 100} or {@code 1_000_000}; anything else is exit code 2. */
public final class Amount implements CommandLine.ITypeConverter<BigInteger> {
    @Override
    public BigInteger convert(String value) {
        String v = value.strip().replace("_", "");
        try {
            if (!v.matches("[0-9]+")) throw new NumberFormatException();
            BigInteger amount = new BigInteger(v);
            if (amount.signum() <= 0) throw new CommandLine.TypeConversionException("the amount must be positive, got " + value);
            if (amount.bitLength() > 256) throw new CommandLine.TypeConversionException("the amount " + value + " does not fit in uint256");
            return amount;
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number of tokens");
        }
    }
}
