package io.gridchain.sms.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.api.sms.SmsApi;
import io.gridchain.protocol.http.BoundedBody;
import io.gridchain.protocol.http.Https;
import io.gridchain.sms.SmsService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The service's HTTP API ({@link SmsApi}): JSON in and out, every error one line. */
public final class SmsHttpApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmsHttpApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A signed request is a few KiB at most (a secret is at most 4 KiB before sealing). */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final Javalin app;

    public SmsHttpApi(SmsService service, String host, int port, SSLContext tls) {
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = MAX_BODY_BYTES;
            Https.configure(cfg, tls, host, port);
        });
        app.get(SmsApi.INFO, ctx -> ctx.json(service.info()));
        post(SmsApi.SECRETS, service::push);
        post(SmsApi.POLICIES, service::policy);
        post(SmsApi.RELEASE, service::release);
        post(SmsApi.LOG, service::log);
        app.exception(SmsService.Refused.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            log.warn("request {} failed", ctx.path(), e);
            error(ctx, 500, "secret service error: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        });
        app.start(host, port);
    }

    private void post(String path, Function<SmsApi.Signed, ?> handler) {
        app.post(path, ctx -> {
            byte[] body;
            try {
                body = BoundedBody.read(ctx.req().getInputStream(), ctx.req().getContentLengthLong(), MAX_BODY_BYTES);
            } catch (BoundedBody.TooLarge e) {
                throw new SmsService.Refused(413, e.getMessage());
            }
            SmsApi.Signed signed;
            try {
                signed = JSON.readValue(body, SmsApi.Signed.class);
            } catch (IOException e) {
                throw new SmsService.Refused(400, "malformed request: send {\"payload\": ..., \"signature\": ...}");
            }
            ctx.contentType("application/json").result(JSON.writeValueAsBytes(handler.apply(signed)));
        });
    }

    private static void error(Context ctx, int status, String message) {
        try {
            ctx.status(status).contentType("application/json")
                    .result(JSON.writeValueAsBytes(new SmsApi.Error(message)));
        } catch (IOException e) {
            ctx.status(status).result(message);
        }
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
