/** <b>Internal</b>: small numerical and naming helpers shared by the library's packages. */
package io.autospec.util;
