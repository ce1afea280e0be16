package eu.hbp.mip.anonymiser.pipeline.pacs;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * The credentials sent to a PACS with every request: none, HTTP basic, or a bearer token
 * (OAuth 2 / OpenID Connect access token obtained by the site). Sent pre-emptively in the
 * {@code Authorization} header, so use HTTPS for anything but loopback. {@code toString}
 * never shows a secret.
 */
public sealed interface PacsAuth {

    /** @return the {@code Authorization} header value, if any */
    Optional<String> header();

    /** No credentials. */
    record None() implements PacsAuth {
        @Override
        public Optional<String> header() {
            return Optional.empty();
        }
    }

    /**
     * HTTP basic authentication.
     *
     * @param user the user name
     * @param password the password
     */
    record Basic(String user, String password) implements PacsAuth {
        public Basic {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            if (user.indexOf(':') >= 0) {
                throw new IllegalArgumentException("a basic-authentication user name cannot contain ':'");
            }
        }

        @Override
        public Optional<String> header() {
            return Optional.of("Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public String toString() {
            return "Basic[user=" + user + "]";
        }
    }

    /**
     * A bearer token.
     *
     * @param token the access token
     */
    record Bearer(String token) implements PacsAuth {
        public Bearer {
            Objects.requireNonNull(token, "token");
            if (token.isBlank() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new IllegalArgumentException("a bearer token must be printable ASCII without spaces");
            }
        }

        @Override
        public Optional<String> header() {
            return Optional.of("Bearer " + token);
        }

        @Override
        public String toString() {
            return "Bearer[***]";
        }
    }
}
