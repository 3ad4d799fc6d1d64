package io.gridchain.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.web3j.utils.Numeric;

/**
 * What every app of a deal is given, as docs/APPS.md states it: the environment naming its task, the seed of its
 * random source, and its limits. Workers and `gridchain app test` build a run from here, so a local test runs in
 * exactly the conditions of a worker.
 */
public final class AppContract {
    /** The deal's id, 0x-hex. */
    public static final String DEAL_ID = "GRIDCHAIN_DEAL_ID";
    /** The task's id, keccak256(dealId, index), 0x-hex. */
    public static final String TASK_ID = "GRIDCHAIN_TASK_ID";
    /** The task's index in its bag, from 0. */
    public static final String TASK_INDEX = "GRIDCHAIN_TASK_INDEX";
    /** How many tasks the bag has. */
    public static final String BAG_SIZE = "GRIDCHAIN_BAG_SIZE";

    /** Memory: 4096 pages of 64 KiB, 256 MiB. */
    public static final int MAX_MEMORY_PAGES = 4096;
    /** What the app may write under /out, stdout and stderr included in the measure. */
    public static final long MAX_OUTPUT_BYTES = 64L << 20;

    /** The environment of task {@code index} of a bag of {@code bagSize} in deal {@code dealId}. */
    public static Map<String, String> env(String dealId, String taskId, long index, long bagSize) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(DEAL_ID, dealId);
        env.put(TASK_ID, taskId);
        env.put(TASK_INDEX, Long.toString(index));
        env.put(BAG_SIZE, Long.toString(bagSize));
        return env;
    }

    /** The seed of the task's random source: every replica of a task draws the same numbers. */
    public static long seed(String taskId) {
        return Numeric.toBigInt(taskId).longValue();
    }

    private AppContract() {}
}
