/** Model specifications such as {@code markov:q=2,stay=0.9}: the zoo by name, as the CLI takes it. */
package io.autospec.models;
