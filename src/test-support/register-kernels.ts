// Test support: registers lenet5's kernels as initBackend() does (src/kernels/register.ts), for
// tests that switch tfjs's backend themselves with tf.setBackend. Importing the library itself
// registers nothing (src/index.test.ts holds that), so a test that needs the kernels imports this.
import { registerLenet5Kernels } from "../kernels/register";

registerLenet5Kernels();
