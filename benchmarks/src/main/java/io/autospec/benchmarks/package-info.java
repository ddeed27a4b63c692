/** One-off measurement programs behind RESULTS.md (the benchmarks project; <b>not API</b>). */
package io.autospec.benchmarks;
