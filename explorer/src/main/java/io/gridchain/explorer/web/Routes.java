package io.gridchain.explorer.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The explorer's URLs: each page at a shareable path, and its JSON twin under {@code /api} (docs/API.md §4). Pages are
 * HTML rendered from jte templates (escaped by context), their live parts refreshed by a script from the same origin;
 * the Content-Security-Policy lets no other script run, so a name or URI a stranger registered can never execute.
 */
public final class Routes {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final PageData data;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(null, ContentType.Html, null,
            "io.gridchain.explorer.web.jte");

    public Routes(PageData data) {
        this.data = data;
    }

    /** Whether a string is a deal or task id (the page takes it lower-cased) or an address. */
    private enum Id { BYTES32, ADDRESS }

    public void install(Javalin app) {
        app.before(ctx -> {
            ctx.header("Content-Security-Policy", CSP);
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Referrer-Policy", "no-referrer");
        });
        page(app, "/", "network", ctx -> data.network());
        app.get("/api/network", ctx -> ctx.json(data.network()));
        both(app, "deal", Id.BYTES32, data::deal);
        both(app, "task", Id.BYTES32, data::task);
        both(app, "pool", Id.ADDRESS, data::pool);
        both(app, "app", Id.ADDRESS, data::app);
        both(app, "dataset", Id.ADDRESS, data::dataset);
        both(app, "account", Id.ADDRESS, data::account);
        page(app, "/orders", "orders", ctx -> data.orders());
        app.get("/api/orders", ctx -> ctx.json(data.orders()));
        app.get("/search", ctx -> ctx.redirect(data.search(query(ctx))));
        app.get("/api/search", ctx -> {
            String url = data.search(query(ctx));
            ctx.json(Map.of("kind", url.substring(1, url.indexOf('/', 1)), "url", url));
        });
        app.exception(PageData.NotFound.class, (e, ctx) -> error(ctx, 404, e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> error(ctx, 500, "explorer error: "
                + String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
    }

    private static String query(Context ctx) {
        String q = ctx.queryParam("q");
        return q == null ? null : q.strip().toLowerCase(Locale.ROOT);
    }

    /** {@code /kind/{id}} as a page and {@code /api/kind/{id}} as JSON, both refusing a malformed id in one line. */
    private void both(Javalin app, String kind, Id shape, Function<String, Object> model) {
        Function<Context, Object> of = ctx -> model.apply(id(ctx, kind, shape));
        page(app, "/" + kind + "/{id}", kind.equals("app") || kind.equals("dataset") ? "asset" : kind, of::apply);
        app.get("/api/" + kind + "/{id}", ctx -> ctx.json(of.apply(ctx)));
    }

    private void page(Javalin app, String path, String template, Function<Context, Object> model) {
        app.get(path, ctx -> ctx.html(render(template, model.apply(ctx))));
    }

    private static String id(Context ctx, String kind, Id shape) {
        String raw = ctx.pathParam("id");
        String id = raw.strip().toLowerCase(Locale.ROOT);
        boolean ok = shape == Id.BYTES32 ? id.matches("0x[0-9a-f]{64}") : id.matches("0x[0-9a-f]{40}");
        if (!ok) {
            throw new PageData.NotFound("not a " + kind + (shape == Id.BYTES32 ? " id (0x and 64 hex digits): "
                    : " address (0x and 40 hex digits): ") + raw);
        }
        return id;
    }

    private String render(String template, Object model) {
        StringOutput out = new StringOutput();
        templates.render(template + ".jte", model, out);
        return out.toString();
    }

    private void error(Context ctx, int status, String message) {
        ctx.status(status);
        if (ctx.path().startsWith("/api/")) {
            ctx.json(Map.of("error", message));
        } else {
            StringOutput out = new StringOutput();
            templates.render("error.jte", Map.of("status", status, "message", message), out);
            ctx.html(out.toString());
        }
    }
}
