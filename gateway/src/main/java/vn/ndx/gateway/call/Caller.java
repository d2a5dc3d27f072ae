package vn.ndx.gateway.call;

/** The authenticated agency system behind a call, as its verified token and the registry say. */
public record Caller(String agency, String system, String clientId) {
}
