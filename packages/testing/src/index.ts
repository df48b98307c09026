/**
 * Test support shared by the apps (which may not import each other). Starting processes, waiting and
 * seeded random data need nothing beyond Node; the Kafka and PostgreSQL helpers are the subpaths `@timeline/testing/kafka`
 * and `@timeline/testing/postgres`, so that a suite loads kafkajs or pg only when it uses them.
 */
export {
  apiEnv,
  type LaunchApiOptions,
  type LaunchedApi,
  launchApi,
  listeningPortIn,
  runApiToExit,
} from './api-process.js';
export { assertBuilt, childEnv, endChild, type NodeRun, runNode } from './node-process.js';
export { seededRandom } from './random.js';
export { KAFKA_BROKERS_SETTING, uniqueTopicPrefix } from './topics.js';
export { poller, type WaitOptions, waitFor } from './wait.js';
