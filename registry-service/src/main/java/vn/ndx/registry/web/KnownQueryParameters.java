package vn.ndx.registry.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.QueryParameters;
import vn.ndx.registry.problem.RegistryException;

/**
 * Refuses a query parameter no endpoint of the admin API, the catalogue or the token endpoint takes,
 * naming it ({@link QueryParameters}): a misspelt {@code agncy=} filter would otherwise list every agency's grants.
 */
@Component
class KnownQueryParameters implements HandlerInterceptor, WebMvcConfigurer {

    private final QueryParameters parameters = new QueryParameters();

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod endpoint) {
            String problem = parameters.problem(endpoint, request.getQueryString());
            if (problem != null) {
                throw new RegistryException(ProblemCode.BAD_REQUEST, problem, null);
            }
        }
        return true;
    }
}
