#!/usr/bin/env node
// A development EVM node that is not anvil: Hardhat's engine (EDR, a Rust EVM shipped as a native
// module inside the npm package) served as JSON-RPC over HTTP, so gridchain's tests can show that
// the protocol client works on a second, independent implementation.
//
//   node edr-node.mjs --port 8545 [--host 127.0.0.1] [--block-gas-limit 30000000] [--hardfork osaka]
//
// The chain mirrors what LocalChain gives on anvil: chain id 31337, the 10 accounts of the standard
// development mnemonic funded with 10,000 ETH each, automine (one block per transaction), an
// initial base fee of 1 gwei. Prints "edr-node ready on http://HOST:PORT chainId 31337" once
// listening; exits 1 with "address already in use" on stderr when the port is taken.
//
// Why not `hardhat node`: Hardhat 3 and EDR declare Node >= 22, and npm then skips EDR's native
// platform package as an optional dependency on older Node; this folder lists that package
// directly, and EDR's N-API module runs on the Node 20 found on the build machines.
import http from 'node:http';
import process from 'node:process';
import edr from '@nomicfoundation/edr';

const {
  EdrContext, L1_CHAIN_TYPE, l1ProviderFactory, l1GenesisState, l1HardforkFromString,
  l1HardforkToString, ContractDecoder, MineOrdering, keccak256, secp256k1PublicKeyFromSecretKey,
} = edr;

// m/44'/60'/0'/0/i of "test test test test test test test test test test test junk": the same keys
// anvil and Hardhat derive, so a test's accounts are the same on both chains.
const DEV_KEYS = [
  'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  '47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
  '8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
  '92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e',
  '4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356',
  'dbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97',
  '2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6',
];
const ETH = 10n ** 18n;
const CHAIN_ID = 31337n;
const TX_GAS_CAP = 16_777_216n;

function parseArgs(argv) {
  const opts = { host: '127.0.0.1', port: undefined, blockGasLimit: 30_000_000n, hardfork: 'osaka' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) fail(`${flag} needs a value`);
    i++;
    if (flag === '--port') opts.port = Number(value);
    else if (flag === '--host') opts.host = value;
    else if (flag === '--block-gas-limit') opts.blockGasLimit = BigInt(value);
    else if (flag === '--hardfork') opts.hardfork = value;
    else fail(`unknown flag ${flag} (known: --port, --host, --block-gas-limit, --hardfork)`);
  }
  if (!Number.isInteger(opts.port) || opts.port <= 0 || opts.port > 65535) fail('--port N is required (1-65535)');
  return opts;
}

function fail(message) {
  process.stderr.write(`edr-node: ${message}\n`);
  process.exit(2);
}

function address(secretKeyHex) {
  const pub = secp256k1PublicKeyFromSecretKey(Buffer.from(secretKeyHex, 'hex'));
  return Buffer.from(keccak256(pub.subarray(1))).subarray(12);
}

async function createProvider(opts) {
  const hardfork = l1HardforkToString(l1HardforkFromString(opts.hardfork));
  const context = new EdrContext();
  await context.registerProviderFactory(L1_CHAIN_TYPE, l1ProviderFactory());
  const funded = DEV_KEYS.map((key) => ({ address: address(key), balance: 10_000n * ETH }));
  const config = {
    allowBlocksWithSameTimestamp: false,
    allowUnlimitedContractSize: false,
    // As geth and anvil do: a reverting eth_call is an error carrying the revert data, while a
    // transaction that reverts is still mined and comes back as a hash (its receipt says status 0).
    bailOnCallFailure: true,
    bailOnTransactionFailure: false,
    chainId: CHAIN_ID,
    coinbase: Buffer.alloc(20),
    // The gas of a call or estimate that names none: the block's limit would exceed Osaka's per-
    // transaction cap (EIP-7825, 2^24), and EDR then refuses every eth_estimateGas.
    defaultTransactionGasLimit: opts.blockGasLimit < TX_GAS_CAP ? opts.blockGasLimit : TX_GAS_CAP,
    // System contracts of recent forks (beacon roots, block hashes) plus the funded dev accounts.
    genesisState: [...l1GenesisState(l1HardforkFromString(hardfork)), ...funded],
    hardfork,
    initialBaseFeePerGas: 1_000_000_000n,
    minGasPrice: 0n,
    mining: { autoMine: true, blockGasLimit: opts.blockGasLimit, memPool: { order: MineOrdering.Priority } },
    network: { genesisBlockGasLimit: opts.blockGasLimit },
    networkId: CHAIN_ID,
    observability: {},
    // Owned like anvil's (eth_accounts lists them); gridchain signs its transactions itself anyway.
    ownedAccounts: DEV_KEYS.map((key) => `0x${key}`),
    precompileOverrides: [],
  };
  const logger = { enable: false, decodeConsoleLogInputsCallback: () => [], printLineCallback: () => {} };
  const subscriptions = { subscriptionCallback: () => {} };
  return context.createProvider(L1_CHAIN_TYPE, config, logger, subscriptions, new ContractDecoder());
}

// EDR answers with the bare {result} or {error}: JSON-RPC clients also want the envelope back.
async function answer(provider, request) {
  const response = await provider.handleRequest(JSON.stringify(request));
  const data = typeof response.data === 'string' ? JSON.parse(response.data) : response.data;
  return { jsonrpc: '2.0', id: request.id ?? null, ...data };
}

function serve(provider, opts) {
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST' }).end();
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      let body;
      try {
        const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const reply = Array.isArray(request)
          ? await Promise.all(request.map((r) => answer(provider, r)))
          : await answer(provider, request);
        body = JSON.stringify(reply);
      } catch (e) {
        body = JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: String(e && e.message || e) } });
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('error', (e) => {
    process.stderr.write(e.code === 'EADDRINUSE'
      ? `edr-node: address already in use: ${opts.host}:${opts.port}\n`
      : `edr-node: ${e.message}\n`);
    process.exit(1);
  });
  server.listen(opts.port, opts.host, () => {
    process.stdout.write(`edr-node ready on http://${opts.host}:${opts.port} chainId ${CHAIN_ID}\n`);
  });
  for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
}

const opts = parseArgs(process.argv.slice(2));
serve(await createProvider(opts), opts);
