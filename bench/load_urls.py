"""gongkai's URLs plus ``/_bench/bare/``: a Django view that parses the request (query or multipart body,
through the whole middleware stack) and answers two bytes. The baseline of ``bench.load_serve``."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from gongkai.config.urls import handler400, handler403, handler404, handler500
from gongkai.config.urls import urlpatterns as gongkai_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


@csrf_exempt
def bare(request: HttpRequest) -> HttpResponse:
    # Parse what gongkai's views would parse, so that the baseline pays for reading the same bytes.
    _ = (request.GET, request.POST, request.FILES) if request.method == "POST" else request.GET
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("_bench/bare/", bare), *gongkai_urlpatterns]
