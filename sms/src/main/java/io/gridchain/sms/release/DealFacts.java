package io.gridchain.sms.release;

/**
 * What the chain says about one task at the time of a release request: the deal's parties, its pool and deadline,
 * the task's state, the pool's allowlist, and who signed the worker's authorization.
 *
 * @param volume         how many tasks the deal has
 * @param deadline       the deal's final deadline, unix seconds of chain time
 * @param chainTime      the latest block's timestamp
 * @param taskFinal      whether the task is finalized (or claimed back) on-chain
 * @param poolAllowlistOnly whether the deal's pool declared that it runs only allowlisted workers
 * @param workerAllowlisted whether the requesting worker is on the pool's allowlist
 * @param authorizer     who signed the worker's authorization for this task (null: nobody, malformed)
 * @param secrets        the requester's secrets the deal's params name: the only ones its tasks may receive
 */
public record DealFacts(String dealId, String taskId, long volume, String requester, String app, String dataset,
        String workerpool, String scheduler, long deadline, long chainTime, boolean taskFinal,
        boolean poolAllowlistOnly, boolean workerAllowlisted, String authorizer, java.util.List<String> secrets) {
    public DealFacts {
        secrets = secrets == null ? java.util.List.of() : java.util.List.copyOf(secrets);
    }
}
