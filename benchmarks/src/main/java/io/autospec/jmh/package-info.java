/** JMH micro-benchmarks of the engine's hot paths (the benchmarks project; <b>not API</b>). */
package io.autospec.jmh;
