package vn.ndx.audit.web;

import java.lang.reflect.Method;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import vn.ndx.audit.problem.AuditException;
import vn.ndx.contract.ProblemCode;

/**
 * Refuses a query parameter no endpoint takes, naming it: {@code groupBy=password} on a breakdown, or a
 * misspelt {@code form=} on a range, would otherwise be ignored, and an operator would read figures for
 * another question than the one asked. An endpoint's parameters are its {@code @RequestParam}s.
 */
@Component
class KnownQueryParameters implements HandlerInterceptor, WebMvcConfigurer {

    private final Map<Method, List<String>> known = new ConcurrentHashMap<>();

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String query = request.getQueryString();
        if (query == null || query.isEmpty() || !(handler instanceof HandlerMethod method)) {
            return true;
        }
        List<String> takes = known.computeIfAbsent(method.getMethod(), m -> parameters(method));
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            if (!name.isEmpty() && !takes.contains(name)) {
                throw new AuditException(ProblemCode.BAD_REQUEST, "Unknown query parameter '" + name + "'"
                        + (takes.isEmpty() ? ": this endpoint takes none" : ": this endpoint takes " + String.join(", ", takes)));
            }
        }
        return true;
    }

    private static List<String> parameters(HandlerMethod method) {
        var names = new TreeSet<String>();
        for (MethodParameter parameter : method.getMethodParameters()) {
            RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
            if (param != null) {
                String name = param.name().isEmpty() ? parameter.getParameterName() : param.name();
                if (name != null) {
                    names.add(name);
                }
            }
        }
        return List.copyOf(names);
    }
}
