package io.gridchain.cli.secrets;

import io.gridchain.api.ResultEncryption;
import io.gridchain.api.sms.Signatures;
import io.gridchain.api.sms.SmsApi;
import io.gridchain.api.sms.SmsClient;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.Context;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.web3j.utils.Numeric;
import picocli.CommandLine.Option;

/** What the `sms` commands share: which service to ask, signed pushes, and their errors as one line. */
final class SmsRequests {
    private SmsRequests() {}

    /** Where to reach the service: --sms, else the one the wallet named on-chain. */
    static final class Target {
        @Option(names = "--sms", paramLabel = "URL",
                description = "The service's URL (default: the one your wallet named with `sms set-url`).")
        String url;

        String resolve(GridClient me) {
            if (url != null) return httpUrl(url);
            return me.smsUrlOf(me.address()).orElseThrow(() -> UserError.usage("no secret service named for "
                    + me.address() + ": name one with `gridchain sms set-url URL`, or pass --sms URL"));
        }
    }

    static Map<String, Object> push(Context ctx, GridClient me, String url, SmsApi.Kind kind, String subject,
            String name, byte[] value) {
        SmsClient client = new SmsClient(null);
        SmsApi.Info info = ask(url, () -> client.info(url));
        if (info.chainId() != ctx.chain().chainId() || !info.hub().equalsIgnoreCase(ctx.protocol().addresses().hub())) {
            throw UserError.failure("the service at " + url + " checks chain " + info.chainId() + " hub " + info.hub()
                    + ", not this profile's (" + ctx.chain().chainId() + ", " + ctx.protocol().addresses().hub()
                    + "): push to a service of this network");
        }
        String sealed = Numeric.toHexString(ResultEncryption.seal(value, info.publicKey()));
        SmsApi.Ack ack = ask(url, () -> client.post(url, SmsApi.SECRETS, new SmsApi.Push(info.address(), kind,
                subject, name, sealed, now(), Signatures.nonce()), ctx.credentials(), SmsApi.Ack.class));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sms", url);
        out.put("service", info.address());
        out.put("owner", me.address());
        out.put("result", ack.result());
        return out;
    }

    static <T> T ask(String url, java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (SmsClient.SmsException e) {
            throw new UserError((e.status() == 0 ? "" : "the secret service at " + url + " refused: ") + e.getMessage(),
                    e.status() == 0 ? UserError.UNREACHABLE : UserError.FAILURE);
        }
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    static String address(String value, String what) {
        try {
            return Words.canonical(value);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(what + " must be an address (0x and 40 hex digits), got " + value);
        }
    }

    static List<String> addresses(List<String> values, String what) {
        return values.stream().map(v -> address(v, what)).toList();
    }

    static String httpUrl(String url) {
        String u = url.strip();
        if (!u.startsWith("http://") && !u.startsWith("https://")) {
            throw UserError.usage("URL must start with http:// or https://, got " + url);
        }
        while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
        return u;
    }
}
