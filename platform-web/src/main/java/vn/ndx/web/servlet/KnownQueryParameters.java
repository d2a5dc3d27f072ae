package vn.ndx.web.servlet;

import java.lang.reflect.Method;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import vn.ndx.contract.ProblemCode;
import vn.ndx.contract.ProblemException;

/**
 * Refuses a query parameter no endpoint takes, naming it: {@code groupBy=password} on a breakdown, a
 * misspelt {@code agncy=} filter on the admin API or {@code form=} on a range would otherwise be ignored,
 * and the caller would get an answer to another question than the one asked (every agency's grants, for
 * one). An endpoint's parameters are its {@code @RequestParam}s.
 */
public class KnownQueryParameters implements HandlerInterceptor, WebMvcConfigurer {

    private final Map<Method, List<String>> known = new ConcurrentHashMap<>();

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod endpoint) {
            String problem = problem(endpoint, request.getQueryString());
            if (problem != null) {
                throw new ProblemException(ProblemCode.BAD_REQUEST, problem);
            }
        }
        return true;
    }

    /** What is wrong with {@code rawQuery} for this endpoint, naming the parameter, or null when nothing is. */
    @Nullable String problem(HandlerMethod endpoint, @Nullable String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        List<String> takes = known.computeIfAbsent(endpoint.getMethod(), method -> parameters(endpoint));
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name;
            try {
                name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return "A query parameter's name is not percent-encoded correctly";
            }
            if (!name.isEmpty() && !takes.contains(name)) {
                return "Unknown query parameter '" + name + "'"
                        + (takes.isEmpty() ? ": this endpoint takes none" : ": this endpoint takes " + String.join(", ", takes));
            }
        }
        return null;
    }

    private static List<String> parameters(HandlerMethod endpoint) {
        var names = new TreeSet<String>();
        for (MethodParameter parameter : endpoint.getMethodParameters()) {
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
