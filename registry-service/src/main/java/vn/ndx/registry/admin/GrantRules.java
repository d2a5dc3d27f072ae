package vn.ndx.registry.admin;

/**
 * What a grant's terms may be, as Bean Validation patterns: one place for the grant API and for the access
 * requests that end in a grant, so a request cannot ask for terms no grant could carry.
 */
public final class GrantRules {

    public static final String METHOD = "GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS";
    public static final String METHOD_MESSAGE = "an HTTP method in capitals";
    public static final int MAX_METHODS = 7;
    /** Parsed too, with the gateways' parser: {@link GrantPaths}. */
    public static final String PATH = "/[A-Za-z0-9._~{}*/-]*";
    public static final String PATH_MESSAGE = "a path pattern starting with /, e.g. /business/*";
    public static final int MAX_PATHS = 50;
    /** A purpose of use is a code such as {@code tax-verification}: the consumer's calls name it in a header. */
    public static final String PURPOSE = "[a-z0-9][a-z0-9-]{1,62}";
    public static final String PURPOSE_MESSAGE = "a purpose code: lower-case letters, digits and dashes, e.g. tax-verification";

    private GrantRules() {
    }
}
