package io.gridchain.explorer.views;

import java.util.List;

/**
 * An account's page: its balances in the hub's escrow (free, locked in deals, bonded in pools), its reputation as a
 * pool owner, what it registered, and its deals as a requester.
 *
 * @param bonds the pools (by scheduler) where it has bonded, with its bond, uncollected earnings and reputation there
 */
public record AccountPage(String address, String free, String locked, String bonded, long score, List<Bond> bonds,
        List<Owned> owns, List<DealLine> deals) {

    /** Its standing in one pool. */
    public record Bond(String scheduler, String bond, String earned, long score, boolean leaving) {}

    /** A pool, app or dataset it registered. */
    public record Owned(String kind, String address) {}
}
