package vn.ndx.web.servlet;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Import;

/** A servlet service's problem+json and query parameter checks, without it declaring either. */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Import({ServletProblems.class, KnownQueryParameters.class})
public class ServletWebAutoConfiguration {
}
