package io.gridchain.scheduler.delivery;

import io.gridchain.protocol.http.PublicAddresses;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Where a pool may send requesters' results. A delivery target is named by a stranger, and the scheduler runs inside
 * the pool operator's network: left unchecked, a requester could make it PUT to the operator's own services (an admin
 * port on loopback, a database on the LAN, a cloud's metadata address). So a target must resolve to public addresses
 * only, checked when it is named and again before each upload, unless the operator allows private ones (a devnet, or a
 * pool whose requesters' storage is on its own network). A DNS answer that changes between the check and the
 * connection is not caught here; docs/SECURITY.md asks operators to block private egress as well.
 */
public final class Destinations {
    public static final Destinations PUBLIC_ONLY = new Destinations(false, InetAddress::getAllByName);
    public static final Destinations ANY = new Destinations(true, InetAddress::getAllByName);

    private final boolean privateAllowed;
    private final PublicAddresses.Resolver resolver;

    public Destinations(boolean privateAllowed, PublicAddresses.Resolver resolver) {
        this.privateAllowed = privateAllowed;
        this.resolver = resolver;
    }

    public static Destinations of(boolean privateAllowed) {
        return privateAllowed ? ANY : PUBLIC_ONLY;
    }

    /** Refuses, with an {@link IllegalArgumentException} of one line, a URL whose host is not public. */
    public void check(URI uri) {
        if (privateAllowed || uri == null) return;
        String host = uri.getHost();
        if (host == null) throw new IllegalArgumentException("the delivery URL has no host");
        InetAddress found;
        try {
            found = PublicAddresses.firstPrivate(host, resolver);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("the delivery host " + host + " does not resolve");
        }
        if (found != null) {
            throw new IllegalArgumentException("the delivery host " + host + " is a private address ("
                    + found.getHostAddress() + "): this pool delivers only to public addresses (its operator can "
                    + "allow private ones with `scheduler start --delivery-to-private`)");
        }
    }

    /** The target's address to check: the S3 endpoint (none for AWS itself), or the PUT URL. */
    public void check(DeliveryTarget target) {
        if (target instanceof S3Target s3) check(s3.endpoint());
        else if (target instanceof HttpPutTarget put) check(put.resolve("t", 0, "d"));
    }
}
