/**
 * The Spark module: sampling jobs that run the library on executors. Its contract is the job's command
 * line and output; the types here are <b>not a library API</b>.
 */
package io.autospec.spark;
