package io.gridchain.scheduler.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.gridchain.protocol.http.PublicAddresses;
import java.net.InetAddress;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A requester names where the pool sends results: never into the pool operator's own network. */
class DestinationsTest {
    static boolean isPublic(String address) throws Exception {
        return PublicAddresses.isPublic(InetAddress.getByName(address));
    }

    @Test
    void privateLoopbackLinkLocalAndReservedAddressesAreNotPublic() throws Exception {
        for (String a : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.0.10", "169.254.169.254",
                "0.0.0.0", "100.64.0.1", "198.18.0.1", "224.0.0.1", "255.255.255.255", "::1", "fe80::1", "fd00::1",
                "::"}) {
            assertThat(isPublic(a)).as(a).isFalse();
        }
        for (String a : new String[] {"93.184.216.34", "8.8.8.8", "100.128.0.1", "2606:4700::1111"}) {
            assertThat(isPublic(a)).as(a).isTrue();
        }
    }

    @Test
    void aNameThatResolvesIntoThePoolsNetworkIsRefusedEvenIfItLookedPublicBefore() {
        // DNS rebinding as the attacker runs it: public when the target is named, the pool's LAN at upload time
        AtomicReference<String> answer = new AtomicReference<>("93.184.216.34");
        Destinations destinations = new Destinations(false, host -> new InetAddress[] {
                InetAddress.getByName(answer.get())});
        HttpPutTarget target = new HttpPutTarget("https://results.example/{task}");
        assertThatNoException().isThrownBy(() -> destinations.check(target));
        answer.set("10.0.0.7");
        assertThatThrownBy(() -> destinations.check(target)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the delivery host results.example is a private address (10.0.0.7): this pool delivers"
                        + " only to public addresses (its operator can allow private ones with `scheduler start"
                        + " --delivery-to-private`)");
    }

    @Test
    void anOperatorMayAllowPrivateTargetsAndAwsItselfNeedsNoCheck() {
        assertThatNoException().isThrownBy(() -> Destinations.ANY.check(URI.create("http://127.0.0.1:9000/x")));
        assertThatNoException().isThrownBy(() -> Destinations.PUBLIC_ONLY.check(new S3Target("results", "p", null,
                "us-east-1", "k", "s", false)));
    }

    @Test
    void anUnresolvableHostIsOneLine() {
        Destinations destinations = new Destinations(false, host -> {
            throw new java.net.UnknownHostException(host);
        });
        assertThatThrownBy(() -> destinations.check(URI.create("https://nowhere.invalid/x")))
                .hasMessage("the delivery host nowhere.invalid does not resolve");
    }

    @Test
    void anUploadToAnAddressThatTurnedPrivateFailsWithItsCauseAndUploadsNothing() throws Exception {
        Destinations lan = new Destinations(false, host -> new InetAddress[] {InetAddress.getByName("192.168.1.20")});
        try (Uploader uploader = Uploader.standard(lan)) {
            assertThatThrownBy(() -> uploader.put(new HttpPutTarget("http://printer.example/{task}"),
                    new Payload("0xtask", 0, "0xdigest", Payload.ARCHIVE, new byte[] {1})))
                    .isInstanceOf(UploadFailure.class).hasMessageContaining("PrivateAddress")
                    .hasMessageContaining("192.168.1.20");
        }
    }
}
