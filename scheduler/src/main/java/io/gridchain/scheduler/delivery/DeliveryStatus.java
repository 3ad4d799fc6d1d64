package io.gridchain.scheduler.delivery;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where one task's delivery stands. PENDING until its first attempt ends; then DELIVERED, or RETRYING while attempts
 * remain, and FAILED once none does. DELIVERED and FAILED are final for a target: only a new target (the requester
 * replacing it) starts the task again at PENDING ({@link DeliveryMachine#retargeted}).
 */
public enum DeliveryStatus {
    PENDING, RETRYING, DELIVERED, FAILED;

    public boolean terminal() {
        return this == DELIVERED || this == FAILED;
    }

    /** The moves an upload's outcome may make. */
    public boolean canMoveTo(DeliveryStatus to) {
        return next().contains(to);
    }

    private Set<DeliveryStatus> next() {
        return switch (this) {
            case PENDING, RETRYING -> EnumSet.of(PENDING, RETRYING, DELIVERED, FAILED);
            case DELIVERED, FAILED -> EnumSet.noneOf(DeliveryStatus.class);
        };
    }
}
