package io.gridchain.cli.wallet;

import io.gridchain.cli.UserError;
import io.gridchain.cli.config.Config;
import io.gridchain.cli.config.Settings;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where a wallet password comes from, first found wins: {@code --password-file},
 * {@code $GRIDCHAIN_PASSWORD_FILE}, {@code $GRIDCHAIN_PASSWORD}, else asked once on the console
 * without echo. Never prompts when one of the first three is set; with no console either, fails
 * with exit code 2.
 */
public final class Passwords {
    private Passwords() {}

    /** The password to unlock wallet {@code address}. */
    public static String forUnlock(Settings settings, String address) {
        return resolve(settings, "Password for wallet " + address + ": ");
    }

    /** The password to encrypt a new wallet; it must not be empty. */
    public static String forNewWallet(Settings settings) {
        String password = resolve(settings, "Password for the new wallet: ");
        if (password.isEmpty()) throw UserError.usage("empty password: the wallet file would not be protected");
        return password;
    }

    private static String resolve(Settings settings, String prompt) {
        if (settings.passwordFile() != null) {
            Path file = Config.expandHome(settings.passwordFile().value());
            try {
                return stripNewline(Files.readString(file, StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                throw UserError.usage("no such file: " + file + " (" + settings.passwordFile().source() + ")");
            } catch (IOException e) {
                throw UserError.usage("cannot read password file " + file + ": " + e.getMessage());
            }
        }
        if (settings.password() != null && !settings.password().isEmpty()) return settings.password();
        Console console = System.console();
        if (console == null) throw UserError.usage("no password: pass --password-file or set GRIDCHAIN_PASSWORD");
        char[] typed = console.readPassword("%s", prompt);
        if (typed == null) throw UserError.usage("no password: pass --password-file or set GRIDCHAIN_PASSWORD");
        return new String(typed);
    }

    /** The file's content without its final line break, so {@code echo secret > pw} works. */
    static String stripNewline(String s) {
        if (s.endsWith("\r\n")) return s.substring(0, s.length() - 2);
        if (s.endsWith("\n")) return s.substring(0, s.length() - 1);
        return s;
    }
}
